/**
 * The Testing Centre: opened from the emailed link (IncidentId, ExamId, TaskToken). Shows the questions,
 * sends the answers (POST /exam: the server scores them), then the score, pass or fail and the attempts
 * left. A link that is incomplete, expired, already used or not valid gets its own plain explanation.
 */
import { ApiError, callApi, plainMessage } from '../shared/api';
import type { AppConfig } from '../shared/app-config';
import { announce, byId, formatDateTime, render } from '../shared/dom';
import { html } from '../shared/html';
import { startPage } from '../shared/page';
import { isCompleteExamLink, parseExamLink, validateAnswers, type ExamLink } from '../shared/validation';
import { linkProblem } from './link-problems';

interface Question {
  QuestionId: string;
  Text: string;
  Choices: Record<string, string>;
}

/**
 * Who the exam is for, its deadline and whether it was already submitted: GET /exam/questions answers `Exam`
 * when given the link's parameters (docs/ARCHITECTURE.md, "Additions to the contract"). Without it the page
 * shows the exam reference only.
 */
interface ExamInfo {
  StudentName?: string;
  Deadline?: string;
  Result?: 'PASSED' | 'FAILED' | 'NOT_SAT' | null;
}

interface SubmitResult {
  IncidentId: string;
  ExamId: string;
  Score: number;
  Passed: boolean;
  AttemptsRemaining: number;
}

class TestCentrePage {
  private questions: Question[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly link: Required<ExamLink>,
  ) {
    byId<HTMLFormElement>('exam-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    byId('questions').addEventListener('change', () => this.countAnswers());
  }

  async load(): Promise<void> {
    const status = byId('exam-status');
    try {
      const response = await callApi<{ Questions: Question[]; Exam?: ExamInfo }>(this.config, '/exam/questions', {
        query: this.link,
      });
      // A link that was already used is told at once, not after the student has answered every question again.
      if (response.Exam?.Result) return this.showProblem('submitted');
      this.questions = response.Questions;
      this.showIntro(response.Exam ?? {});
      this.showQuestions();
      announce(status, '');
    } catch (error) {
      this.showProblem(error);
    }
  }

  private showIntro(exam: ExamInfo): void {
    const deadline = exam.Deadline ? formatDateTime(exam.Deadline) : undefined;
    render(
      byId('exam-facts'),
      html`
${exam.StudentName ? html`<dt>For</dt><dd id="exam-student">${exam.StudentName}</dd>` : ''}
${deadline ? html`<dt>Deadline</dt><dd id="exam-deadline">${deadline}</dd>` : ''}
<dt>Questions</dt><dd>${this.questions.length}</dd>
<dt>Exam reference</dt><dd><code>${this.link.ExamId}</code></dd>`,
    );
    byId('exam-intro').hidden = false;
  }

  private showQuestions(): void {
    render(
      byId('questions'),
      html`${this.questions.map(
        (q, i) => html`
<fieldset class="question" id="q-${i + 1}">
  <legend>${i + 1}. ${q.Text}</legend>
  ${Object.entries(q.Choices).map(([key, text]) => html`<label class="choice"><input type="radio" name="${q.QuestionId}" value="${key}" required> <span>${text}</span></label>`)}
</fieldset>`,
      )}`,
    );
    byId('exam-form').hidden = false;
    this.countAnswers();
  }

  private answers(): Record<string, string> {
    const data = new FormData(byId<HTMLFormElement>('exam-form'));
    const answers: Record<string, string> = {};
    for (const q of this.questions) {
      const value = data.get(q.QuestionId);
      if (typeof value === 'string') answers[q.QuestionId] = value;
    }
    return answers;
  }

  private countAnswers(): void {
    const answered = Object.keys(this.answers()).length;
    byId('answered-count').textContent = `${answered} of ${this.questions.length} answered`;
    if (answered === this.questions.length) byId('answer-error').hidden = true;
  }

  private async submit(): Promise<void> {
    const answers = this.answers();
    const errors = validateAnswers(
      this.questions.map((q) => q.QuestionId),
      answers,
    );
    const errorLine = byId('answer-error');
    const firstMissing = Object.keys(errors)[0];
    if (firstMissing) {
      errorLine.textContent = errors[firstMissing]!;
      errorLine.hidden = false;
      document.querySelector<HTMLInputElement>(`input[name="${CSS.escape(firstMissing)}"]`)?.focus();
      return;
    }
    errorLine.hidden = true;
    const button = document.querySelector('#exam-form button[type=submit]') as HTMLButtonElement;
    button.disabled = true;
    announce(byId('exam-status'), 'Submitting your answers…');
    try {
      const result = await callApi<SubmitResult>(this.config, '/exam', {
        method: 'POST',
        body: { ...this.link, Answers: answers },
      });
      this.showResult(result);
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.error !== 'ValidationError')
        this.showProblem(error);
      else announce(byId('exam-status'), plainMessage(error), 'error');
    } finally {
      button.disabled = false;
    }
  }

  private showResult(result: SubmitResult): void {
    byId('exam-form').hidden = true;
    byId('exam-intro').hidden = true;
    announce(byId('exam-status'), '');
    const next = result.Passed
      ? 'Well done: the incident is now resolved. There is nothing more you need to do.'
      : result.AttemptsRemaining > 0
        ? `You have ${result.AttemptsRemaining} attempt${result.AttemptsRemaining === 1 ? '' : 's'} left. A new exam link is on its way to your email.`
        : 'You have no attempts left. The academic integrity office will contact you about the next steps.';
    const section = byId('exam-result');
    section.classList.add(result.Passed ? 'result-passed' : 'result-failed');
    render(
      byId('result-body'),
      html`
<p class="score" id="result-score">${result.Score}%</p>
<p id="result-outcome"><span class="badge ${result.Passed ? 'ok' : 'bad'}">${result.Passed ? 'Passed' : 'Not passed'}</span></p>
<p id="result-next">${next}</p>`,
    );
    section.hidden = false;
    section.focus();
  }

  private showProblem(error: unknown): void {
    byId('exam-form').hidden = true;
    byId('exam-intro').hidden = true;
    const problem = linkProblem(error);
    const status = byId('exam-status');
    announce(status, problem ?? plainMessage(error), 'error');
    status.setAttribute('role', 'alert');
  }
}

const config = startPage('testcentre');
if (config) {
  const link = parseExamLink(location.search);
  if (isCompleteExamLink(link)) void new TestCentrePage(config, link).load();
  else announce(byId('exam-status'), linkProblem('incomplete')!, 'error');
}
