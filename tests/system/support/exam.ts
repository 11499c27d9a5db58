/**
 * Answers to the referencing exam, taken from the question bank (data/exam-questions.json, the one file that
 * holds the answers): all right, or all wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Question } from '../../../functions/shared/plagiarism/question-bank';
import { PROJECT_ROOT } from '../../../local/template/load';

export function questionBank(): Question[] {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'data', 'exam-questions.json'), 'utf8')) as Question[];
}

export function correctAnswers(): Record<string, string> {
  return Object.fromEntries(questionBank().map((question) => [question.QuestionId, question.Answer]));
}

export function wrongAnswers(): Record<string, string> {
  return Object.fromEntries(
    questionBank().map((question) => {
      const wrong = Object.keys(question.Choices).find((choice) => choice !== question.Answer);
      if (!wrong) throw new Error(`question ${question.QuestionId} has no wrong choice`);
      return [question.QuestionId, wrong];
    }),
  );
}
