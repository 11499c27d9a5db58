/**
 * functions/shared/plagiarism/exam-access.ts: who may see a Testing Centre link's exam, and when it can no longer be
 * taken. The order matters (the token before anything about the exam's state) and is shared by GET /exam/questions
 * and POST /exam.
 */
import { ExamClosed, ExamExpired, InvalidExamToken } from '../../functions/shared/plagiarism/errors';
import { assertLinkHolder, assertOpenToLinkHolder } from '../../functions/shared/plagiarism/exam-access';
import type { Exam, Incident } from '../../functions/shared/plagiarism/incident';
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

/** The incident the exam belongs to: still waiting for the exam unless another Status is given. */
const incident = (Status: Incident['Status'] = 'EXAM_SCHEDULED') => ({ Status }) as Incident;

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
    expect(() => assertOpenToLinkHolder(incident(), open, token)).not.toThrow();
  });

  it.each([
    ['its deadline passed a moment ago', after],
    ['its deadline is this very moment', now],
  ])(
    'refuses an unanswered exam with 410 ExamExpired when %s, before the workflow records NOT_SAT',
    (_case, deadline) => {
      expect(() => assertOpenToLinkHolder(incident(), exam({ Deadline: deadline }), token)).toThrow(ExamExpired);
    },
  );

  it('refuses an exam recorded NOT_SAT, whose token the workflow removed, with 410 ExamExpired', () => {
    expect(() =>
      assertOpenToLinkHolder(incident(), exam({ Deadline: after, Result: 'NOT_SAT', TaskToken: undefined }), token),
    ).toThrow(ExamExpired);
  });

  it.each([
    ['a forged token on an expired exam', exam({ Deadline: after }), 'forged'],
    ['a forged token on a submitted exam', exam({ Result: 'PASSED', Score: 90 }), 'forged'],
  ])('checks the token first: %s is 403 InvalidToken, telling nothing of the exam', (_case, seen, presented) => {
    expect(() => assertOpenToLinkHolder(incident(), seen, presented)).toThrow(InvalidExamToken);
  });
});

describe('a closed exam: no workflow waits for it any more', () => {
  it.each([
    ['its execution was stopped and the administrators took over', 'ADMIN_ACTION_REQUIRED'],
    ['the incident was resolved', 'RESOLVED'],
  ] as const)('refuses an unanswered exam with 410 ExamClosed when %s, after proving the token', (_case, status) => {
    expect(() => assertOpenToLinkHolder(incident(status), exam(), token)).toThrow(ExamClosed);
    expect(() => assertOpenToLinkHolder(incident(status), exam(), 'forged')).toThrow(InvalidExamToken);
  });

  it('refuses an exam the workflow closed (a callback without a recorded result), whose token it removed', () => {
    const closed = exam({ ClosedReason: 'ExamResultNotRecorded', TaskToken: undefined });
    expect(() => assertOpenToLinkHolder(incident('ADMIN_ACTION_REQUIRED'), closed, token)).toThrow(ExamClosed);
    expect(() => assertLinkHolder(closed, token)).toThrow(ExamClosed);
  });

  it('still lets the link holder see a submitted exam of an incident that moved on (its Result stays)', () => {
    expect(() =>
      assertOpenToLinkHolder(incident('ADMIN_ACTION_REQUIRED'), exam({ Result: 'FAILED', Score: 20 }), token),
    ).not.toThrow();
  });
});

describe('assertLinkHolder', () => {
  it("proves the link only: an unanswered exam past its deadline is still its holder's", () => {
    expect(() => assertLinkHolder(exam({ Deadline: after }), token)).not.toThrow();
    expect(() => assertLinkHolder(exam(), 'forged')).toThrow(InvalidExamToken);
  });
});
