/** The referencing exam's question bank (data/exam-questions.json) and its scoring. Answers never leave here. */
import bank from '../../../data/exam-questions.json';
import { ValidationError } from '../infrastructure/errors';

/** A score of at least this many percent passes. */
export const passMark = 67;

export interface Question {
  QuestionId: string;
  Text: string;
  Choices: Record<string, string>;
  Answer: string;
}

export type PublicQuestion = Omit<Question, 'Answer'>;

const questions: readonly Question[] = bank;

/** The questions as students see them: without the answers. */
export function publicQuestions(): PublicQuestion[] {
  return questions.map(({ QuestionId, Text, Choices }) => ({ QuestionId, Text, Choices }));
}

export interface ExamScore {
  /** Percentage of the bank's questions answered correctly, rounded (0-100). Unanswered questions count as wrong. */
  score: number;
  passed: boolean;
}

/** Scores answers keyed by QuestionId; an unknown question or choice is a ValidationError naming it. */
export function scoreAnswers(answers: Record<string, string>): ExamScore {
  const byId = new Map(questions.map((question) => [question.QuestionId, question]));
  let correct = 0;
  for (const [questionId, choice] of Object.entries(answers)) {
    const question = byId.get(questionId);
    if (!question) throw new ValidationError(`Answers.${questionId}: there is no such question`);
    if (!Object.hasOwn(question.Choices, choice)) {
      throw new ValidationError(`Answers.${questionId}: "${choice}" is not one of the choices`);
    }
    if (choice === question.Answer) correct++;
  }
  const score = Math.round((correct / questions.length) * 100);
  return { score, passed: score >= passMark };
}
