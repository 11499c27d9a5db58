/**
 * The task token is the student's only credential (docs/contract.md "POST /exam"). Over HTTP against a real local
 * cloud: a forged, a truncated and another student's token are 403 InvalidToken, other answers with a token whose
 * workflow has already taken its exam are 409 ExamAlreadySubmitted (the same answers are answered as before), a
 * token used after the deadline is 410 ExamExpired, a token of a stopped execution is 410 ExamClosed, on POST /exam
 * and on GET /exam/questions with the link's parameters (docs/ARCHITECTURE.md "Additions to the contract") alike.
 * After every refusal nothing has changed: the incident's item, its execution's history (no new event: no
 * SendTaskSuccess got through) and the student's emails are as they were.
 */
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { expectError, expectStatus, type Answer } from './support/assertions';
import { correctAnswers, wrongAnswers } from './support/exam';
import { IncidentObserver } from './support/incident-observer';
import { eventually } from '../support/eventually';
import { armedFaults, injectLambdaFault } from '../faults/support/executions';
import {
  examEmail,
  getIncident,
  incidentReaching,
  registerIncident,
  submission,
  type RegisteredIncident,
} from './support/incidents';
import { waitForEmails, type ExamLink } from './support/outbox';
import { systemCloudOfThisFile } from './support/system-cloud';

jest.setTimeout(30_000);

const ONE_WEEK_SECONDS = 604_800;
const ADMIN_EMAIL = 'admin@example.com'; // template.yaml's AdminEmail default

const system = systemCloudOfThisFile();
let observer: IncidentObserver;

type Link = Pick<ExamLink, 'IncidentId' | 'ExamId' | 'TaskToken'>;

/** POST /exam as the Testing Centre page sends it: no API key, the task token is the credential. */
const submitExam = (link: Link, answers = correctAnswers()) =>
  system.api.post<Answer>('/exam', submission(link as ExamLink, answers), { as: null });

/** GET /exam/questions with a link's parameters, as the Testing Centre page asks before showing the exam. */
const examOfLink = (link: Link) =>
  system.api.get<Answer & { Exam?: Record<string, unknown> }>(
    `/exam/questions?${new URLSearchParams({ ...link }).toString()}`,
    { as: null },
  );

/** Both routes refuse `link` with that status and error, and the incident, its execution and the emails stay as they were. */
async function expectRefusedWithoutChange(
  link: Link,
  owner: RegisteredIncident,
  status: number,
  error: string,
  answers = correctAnswers(),
): Promise<void> {
  const before = await observer.state(owner.IncidentId, owner.student.StudentEmail);
  expectError(await submitExam(link, answers), status, error);
  expect(await observer.state(owner.IncidentId, owner.student.StudentEmail)).toEqual(before);
  // Reading is refused alike, except for a submitted exam: the page is told its Result to say so (tested below).
  if (status !== 409) expectError(await examOfLink(link), status, error);
}

let student: RegisteredIncident;
let studentLink: ExamLink;
let other: RegisteredIncident;
let otherLink: ExamLink;

beforeAll(async () => {
  observer = new IncidentObserver(system);
  [student, other] = await Promise.all([registerIncident(system.api), registerIncident(system.api)]);
  [{ link: studentLink }, { link: otherLink }] = await Promise.all([
    examEmail(system.sesUrl, student),
    examEmail(system.sesUrl, other),
  ]);
});
afterAll(() => observer?.destroy());

/** The same text with its last characters changed (so never equal to it). */
const forge = (token: string) => `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;

describe('403 InvalidToken, and nothing changes', () => {
  test('a forged token (the issued one with its last characters changed)', async () => {
    await expectRefusedWithoutChange(
      { ...studentLink, TaskToken: forge(studentLink.TaskToken) },
      student,
      403,
      'InvalidToken',
    );
  });

  test('a made-up token', async () => {
    await expectRefusedWithoutChange({ ...studentLink, TaskToken: 'not-a-token' }, student, 403, 'InvalidToken');
  });

  test.each([
    ['half of it', (token: string) => token.slice(0, Math.floor(token.length / 2))],
    ['all but its last character', (token: string) => token.slice(0, -1)],
    ['one character more', (token: string) => `${token}A`],
  ])('a truncated or extended token: %s', async (_case, cut) => {
    await expectRefusedWithoutChange(
      { ...studentLink, TaskToken: cut(studentLink.TaskToken) },
      student,
      403,
      'InvalidToken',
    );
  });

  test("another student's valid token, on this student's exam (both ways round)", async () => {
    await expectRefusedWithoutChange({ ...studentLink, TaskToken: otherLink.TaskToken }, student, 403, 'InvalidToken');
    await expectRefusedWithoutChange({ ...otherLink, TaskToken: studentLink.TaskToken }, other, 403, 'InvalidToken');
  });

  test("another incident's exam with this student's token is 404 ExamNotFound: the exam is not that incident's", async () => {
    await expectRefusedWithoutChange({ ...studentLink, IncidentId: other.IncidentId }, other, 404, 'ExamNotFound');
  });

  test('after all of those, both exams still wait for their answers and their links still work', async () => {
    for (const [registered, link] of [
      [student, studentLink],
      [other, otherLink],
    ] as const) {
      const incident = await incidentReaching(system.api, registered.IncidentId, 'EXAM_SCHEDULED');
      expect(incident.Exams).toEqual([expect.objectContaining({ ExamId: link.ExamId, Result: null, Score: null })]);
      const answer = await examOfLink(link);
      expectStatus(answer, 200);
      expect(answer.body.Exam).toMatchObject({ IncidentId: registered.IncidentId, ExamId: link.ExamId, Result: null });
    }
  });
});

describe('a token whose workflow has finished', () => {
  test('once the exam is passed and the incident resolved, its token with other answers is 409 ExamAlreadySubmitted, the same answers get the same 200, and neither changes anything', async () => {
    const resolved = await registerIncident(system.api);
    const { link } = await examEmail(system.sesUrl, resolved);
    const first = await submitExam(link);
    expectStatus(first, 200);
    await incidentReaching(system.api, resolved.IncidentId, 'RESOLVED');
    expect(await observer.executionEnded(resolved.IncidentId)).toBe('SUCCEEDED');

    await expectRefusedWithoutChange(link, resolved, 409, 'ExamAlreadySubmitted', wrongAnswers());
    const before = await observer.state(resolved.IncidentId, resolved.student.StudentEmail);
    const again = await submitExam(link);
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(await observer.state(resolved.IncidentId, resolved.student.StudentEmail)).toEqual(before);
    // Reading the link tells the page the exam has its result, so it says so instead of offering the exam again.
    const answer = await examOfLink(link);
    expectStatus(answer, 200);
    expect(answer.body.Exam).toMatchObject({ ExamId: link.ExamId, Result: 'PASSED' });
  });

  /** Registers an incident and stops its execution while it waits for the exam (once the notification answered). */
  async function stoppedIncident() {
    const stopped = await registerIncident(system.api);
    const { link } = await examEmail(system.sesUrl, stopped);
    // Once SendExamNotification has answered: it records the email after SES took it, and a stop does not stop a
    // running Lambda invocation from writing.
    await observer.state(stopped.IncidentId, stopped.student.StudentEmail);
    await observer.sfn.send(
      new StopExecutionCommand({
        executionArn: stopped.executionArn,
        error: 'Withdrawn',
        cause: 'the incident was withdrawn',
      }),
    );
    expect(await observer.executionEnded(stopped.IncidentId)).toBe('ABORTED');
    return { stopped, link };
  }

  test('once its execution was stopped, the incident is ADMIN_ACTION_REQUIRED, the administrators are told, and the token is 410 ExamClosed, changing nothing', async () => {
    const { stopped, link } = await stoppedIncident();

    // The EventBridge rule for a stopped execution (template.yaml PlagiarismExecutionStoppedRule).
    const incident = await incidentReaching(system.api, stopped.IncidentId, 'ADMIN_ACTION_REQUIRED');
    expect(incident.Exams).toEqual([expect.objectContaining({ ExamId: link.ExamId, Result: null })]);
    const [email] = await waitForEmails(system.sesUrl, ADMIN_EMAIL, 1, (candidate) =>
      (candidate.body.text ?? '').includes(stopped.IncidentId),
    );
    expect(email.body.text).toContain(
      `The plagiarism workflow of incident ${stopped.IncidentId} was stopped (StopExecution) before it finished`,
    );
    expect(email.body.text).toContain(`Stopped execution: ${stopped.executionArn}`);

    await expectRefusedWithoutChange(link, stopped, 410, 'ExamClosed');
  });

  test("stopped while the rule's target cannot run (its three attempts fail), the token is still 410 ExamClosed: DescribeExecution says ABORTED and the result recorded for a moment is withdrawn", async () => {
    await injectLambdaFault(system.sfnUrl, {
      function: 'TakeAdministrativeActionFunction',
      error: 'Lambda.ServiceException',
      count: 3,
    });
    const { stopped, link } = await stoppedIncident();
    // The rule's three deliveries have failed: the incident was left EXAM_SCHEDULED.
    await eventually('the rule to give up', async () =>
      (await armedFaults(system.sfnUrl)).length === 0 ? true : undefined,
    );
    const before = await observer.state(stopped.IncidentId, stopped.student.StudentEmail);
    expect((await getIncident(system.api, stopped.IncidentId)).Status).toBe('EXAM_SCHEDULED');

    // SubmitExam records first, then Step Functions refuses the token of an ended execution (TaskTimedOut), and
    // DescribeExecution says it was stopped (ABORTED): no workflow will take the result, so it is withdrawn.
    expectError(await submitExam(link), 410, 'ExamClosed');
    const after = await observer.state(stopped.IncidentId, stopped.student.StudentEmail);
    // Known difference: the withdrawal stamps UpdatedAt (functions/submit-exam/exam-record.ts withdrawResult).
    const { UpdatedAt: _before, ...itemBefore } = before.item!;
    const { UpdatedAt: _after, ...itemAfter } = after.item!;
    expect({ ...after, item: itemAfter }).toEqual({ ...before, item: itemBefore });
  });
});

// Last in this file: moving the engine clock a week on times out every exam still waiting in this local cloud.
// Only the workflow's NOT_SAT can be seen here: the functions' own deadline check
// (functions/shared/plagiarism/exam-access.ts, 410 before NOT_SAT is recorded) reads real time, which /_local/clock
// does not move, and ScheduleExam set the deadline a real week ahead; tests/unit/exam-access.test.ts and the route's
// unit tests cover that check.
describe('after the deadline', () => {
  test('the workflow records NOT_SAT; the token is then 410 ExamExpired on both routes and changes nothing', async () => {
    await system.advanceClock(ONE_WEEK_SECONDS + 60);
    for (const registered of [student, other]) {
      const incident = await incidentReaching(system.api, registered.IncidentId, 'ADMIN_ACTION_REQUIRED');
      expect(incident.Exams).toEqual([expect.objectContaining({ Result: 'NOT_SAT' })]);
    }
    await expectRefusedWithoutChange(studentLink, student, 410, 'ExamExpired');
    // A wrong token for an expired exam learns nothing more than the right one.
    await expectRefusedWithoutChange(
      { ...otherLink, TaskToken: forge(otherLink.TaskToken) },
      other,
      410,
      'ExamExpired',
    );
  });
});
