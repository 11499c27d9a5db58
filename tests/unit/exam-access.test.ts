/**
 * functions/shared/plagiarism/exam-access.ts: who may see a Testing Centre link's exam, and when it can no longer be
 * taken. The order matters (the token before anything about the exam's state) and is shared by GET /exam/questions
 * and POST /exam.
 */
import { ExamExpired, InvalidExamToken } from '../../functions/shared/plagiarism/errors';
import { assertLinkHolder, assertOpenToLinkHolder } from '../../functions/shared/plagiarism/exam-access';
import type { Exam } from '../../functions/shared/plagiarism/incident';
import { freezeClock } from './support/lambda';

const now = '2030-03-01T09:30:00.000Z';
const token = 'AAAA-token-issued-for-e-2';
const before = '2030-03-01T09:30:00.001Z';
const after = '2030-03-01T09:29:59.999Z';
const exam = (overrides: Partial<Exam> = {}): Exam => ({
  ExamId: 'e-2',
  Deadline: before,
  Result: null,
  Score: null,
  TaskToken: token,
  ...overrides,
});

beforeEach(() => freezeClock(now));
afterEach(() => jest.useRealTimers());

describe('assertOpenToLinkHolder', () => {
  it.each([
    ['an exam waiting for its answers until after now', exam()],
    [
      'a submitted exam past its deadline (it keeps its Result)',
      exam({ Deadline: after, Result: 'PASSED', Score: 90 }),
    ],
    ['a failed exam past its deadline', exam({ Deadline: after, Result: 'FAILED', Score: 25 })],
  ])('lets the link holder see %s', (_case, open) => {
    expect(() => assertOpenToLinkHolder(open, token)).not.toThrow();
  });

  it.each([
    ['its deadline passed a moment ago', after],
    ['its deadline is this very moment', now],
  ])(
    'refuses an unanswered exam with 410 ExamExpired when %s, before the workflow records NOT_SAT',
    (_case, deadline) => {
      expect(() => assertOpenToLinkHolder(exam({ Deadline: deadline }), token)).toThrow(ExamExpired);
    },
  );

  it('refuses an exam recorded NOT_SAT, whose token the workflow removed, with 410 ExamExpired', () => {
    expect(() =>
      assertOpenToLinkHolder(exam({ Deadline: after, Result: 'NOT_SAT', TaskToken: undefined }), token),
    ).toThrow(ExamExpired);
  });

  it.each([
    ['a forged token on an expired exam', exam({ Deadline: after }), 'forged'],
    ['a forged token on a submitted exam', exam({ Result: 'PASSED', Score: 90 }), 'forged'],
  ])('checks the token first: %s is 403 InvalidToken, telling nothing of the exam', (_case, seen, presented) => {
    expect(() => assertOpenToLinkHolder(seen, presented)).toThrow(InvalidExamToken);
  });
});

describe('assertLinkHolder', () => {
  it("proves the link only: an unanswered exam past its deadline is still its holder's", () => {
    expect(() => assertLinkHolder(exam({ Deadline: after }), token)).not.toThrow();
    expect(() => assertLinkHolder(exam(), 'forged')).toThrow(InvalidExamToken);
  });
});
