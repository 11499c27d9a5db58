/**
 * Exactly-once exam results (issue 13, items 2 and 3), against the real local cloud (nothing mocked): SubmitExam
 * records the result and then calls SendTaskSuccess, and the workflow takes the result from the record.
 * - The gap between the write and the callback, both ways round, made with POST <sfn>/_local/faults: SendTaskSuccess
 *   refused after the write (the Step Functions API's own fault, "before"), and the callback delivered but the
 *   student's answer lost (the Lambda runner's fault on SubmitExamFunction and the API's fault, both "after"). The
 *   student's retry of the same submission is answered as the first would have been, the workflow resolves with the
 *   recorded result, and it takes exactly one callback.
 * - A result recorded but never delivered is not lost at the deadline: RecordExamNotSat no longer overwrites it, the
 *   workflow takes it.
 * - A forged SendTaskSuccess (the emailed token, any output) changes nothing: with no result recorded the exam is
 *   closed and the administrators are told (ExamResultNotRecorded); over a recorded result the record counts.
 * The deadline is passed by moving the engine clock (POST /_local/clock), last in the file: it times out every exam
 * still waiting in this local cloud.
 */
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { expectError, expectStatus, type Answer } from '../system/support/assertions';
import { correctAnswers, wrongAnswers } from '../system/support/exam';
import { callbacksTaken, IncidentObserver } from '../system/support/incident-observer';
import {
  examEmail,
  getIncident,
  incidentReaching,
  registerIncident,
  submission,
  type RegisteredIncident,
} from '../system/support/incidents';
import type { ExamLink } from '../system/support/outbox';
import { emailsTo } from '../system/support/outbox';
import { systemCloudOfThisFile } from '../system/support/system-cloud';
import { eventually } from '../support/eventually';
import {
  advanceClock,
  armedFaults,
  executionDetail,
  executionEnded,
  injectApiFault,
  injectLambdaFault,
  type WireEvent,
} from './support/executions';

jest.setTimeout(60_000);

const system = systemCloudOfThisFile();
let observer: IncidentObserver;
beforeAll(() => {
  observer = new IncidentObserver(system);
});
afterAll(() => observer?.destroy());

const ADMIN_EMAIL = 'admin@example.com'; // template.yaml's AdminEmail default
const ONE_WEEK_SECONDS = 604_800;
/** Attempts SubmitExam's SDK makes per call (functions/shared/infrastructure/clients.ts sdkCallBounds.maxAttempts). */
const SDK_ATTEMPTS = 2;

/** POST /exam as the Testing Centre page sends it. */
const submitExam = (link: ExamLink, answers: Record<string, string>) =>
  system.api.post<Answer>('/exam', submission(link, answers), { as: null });

/** What POST /exam answers a first exam with every answer right: 100%, two attempts left. */
const passedFirstExam = (link: ExamLink) => ({
  IncidentId: link.IncidentId,
  ExamId: link.ExamId,
  Score: 100,
  Passed: true,
  AttemptsRemaining: 2,
});

/** A registered incident whose workflow waits for its first exam (the notification task has answered). */
async function waitingIncident(): Promise<{ registered: RegisteredIncident; link: ExamLink }> {
  const registered = await registerIncident(system.api);
  const { link } = await examEmail(system.sesUrl, registered);
  await observer.state(registered.IncidentId, registered.student.StudentEmail);
  return { registered, link };
}

/** The newest exam of the incident as stored (DynamoDB JSON), task token and all. */
async function storedExam(incidentId: string) {
  const item = await observer.storedIncident(incidentId);
  return item?.Exams?.L?.[0]?.M;
}

/** The outputs ReadExamResult handed on (its TaskStateExited events), in order. */
const readExamResults = (events: WireEvent[]) => {
  const exits = events.filter((event) => event.type === 'TaskStateExited');
  return exits
    .map((event) => event.stateExitedEventDetails as { name: string; output: string })
    .filter((details) => details.name === 'ReadExamResult')
    .map((details) => JSON.parse(details.output));
};

/** SubmitExam's SendTaskSuccess fails with a 5xx on every attempt its SDK makes: the result is recorded, not delivered. */
async function submitWithCallbackRefused(link: ExamLink, answers: Record<string, string>) {
  await injectApiFault(system.sfnUrl, {
    operation: 'SendTaskSuccess',
    error: 'ServiceUnavailable',
    count: SDK_ATTEMPTS,
  });
  const answer = await submitExam(link, answers);
  expectError(answer, 503, 'ServiceUnavailable');
  // Both attempts met the fault: no SendTaskSuccess got through.
  expect(await armedFaults(system.sfnUrl)).toEqual([]);
  return answer;
}

describe('the write happened, the callback did not (SendTaskSuccess answered 5xx after the result was recorded)', () => {
  test("the student's retry of the same submission delivers the recorded result, is answered as the first would have been, and the workflow resolves with it", async () => {
    const { registered, link } = await waitingIncident();

    await submitWithCallbackRefused(link, correctAnswers());
    // Recorded, not delivered: the exam holds the result, the workflow still waits for it.
    expect(await storedExam(registered.IncidentId)).toMatchObject({ Result: { S: 'PASSED' }, Score: { N: '100' } });
    const waiting = await executionDetail(system.sfnUrl, registered.executionArn);
    expect(waiting.execution.status).toBe('RUNNING');
    expect(callbacksTaken(await observer.historyOf(registered.executionArn))).toEqual([]);

    // The same answers in another order: the same submission.
    const reordered = Object.fromEntries(Object.entries(correctAnswers()).reverse());
    const retry = await submitExam(link, reordered);
    expect(retry).toMatchObject({ status: 200, body: passedFirstExam(link) });

    const incident = await incidentReaching(system.api, registered.IncidentId, 'RESOLVED');
    expect(incident.Exams).toEqual([expect.objectContaining({ ExamId: link.ExamId, Result: 'PASSED', Score: 100 })]);
    const { events } = await executionEnded(system.sfnUrl, registered.executionArn);
    expect(readExamResults(events)).toEqual([
      { IncidentId: registered.IncidentId, ExamId: link.ExamId, ExamInRecord: true, Result: 'PASSED', Score: 100 },
    ]);
    expect(callbacksTaken(await observer.historyOf(registered.executionArn))).toHaveLength(1);

    // Sent once more after the workflow ended: still the same answer, and nothing changes.
    const before = await observer.state(registered.IncidentId, registered.student.StudentEmail);
    expect(await submitExam(link, correctAnswers())).toMatchObject({ status: 200, body: passedFirstExam(link) });
    expect(await observer.state(registered.IncidentId, registered.student.StudentEmail)).toEqual(before);
  });

  test('other answers on the retry are refused 409, but the recorded result is still delivered and taken', async () => {
    const { registered, link } = await waitingIncident();
    await submitWithCallbackRefused(link, correctAnswers());

    expectError(await submitExam(link, wrongAnswers()), 409, 'ExamAlreadySubmitted');

    const incident = await incidentReaching(system.api, registered.IncidentId, 'RESOLVED');
    expect(incident.Exams).toEqual([expect.objectContaining({ Result: 'PASSED', Score: 100 })]);
    expect(callbacksTaken(await observer.historyOf(registered.executionArn))).toHaveLength(1);
  });
});

describe("the callback happened, the student's answer did not", () => {
  test.each([
    [
      'the Lambda service fails SubmitExam once its code ran',
      () =>
        injectLambdaFault(system.sfnUrl, {
          function: 'SubmitExamFunction',
          error: 'Lambda.ServiceException',
          count: 1,
          when: 'after',
        }),
    ],
    [
      "Step Functions carries out SendTaskSuccess but its answer is lost (every attempt of SubmitExam's SDK)",
      () =>
        injectApiFault(system.sfnUrl, {
          operation: 'SendTaskSuccess',
          error: 'InternalFailure',
          count: SDK_ATTEMPTS,
          when: 'after',
        }),
    ],
  ])(
    '%s: the workflow resolves, and the retry is answered as the first would have been, delivering nothing twice',
    async (_case, arm) => {
      const { registered, link } = await waitingIncident();
      await arm();

      const first = await submitExam(link, correctAnswers());
      expect(first.status).toBeGreaterThanOrEqual(500);
      await incidentReaching(system.api, registered.IncidentId, 'RESOLVED');
      expect(await armedFaults(system.sfnUrl)).toEqual([]);

      expect(await submitExam(link, correctAnswers())).toMatchObject({ status: 200, body: passedFirstExam(link) });
      expect((await executionEnded(system.sfnUrl, registered.executionArn)).execution.status).toBe('SUCCEEDED');
      expect(callbacksTaken(await observer.historyOf(registered.executionArn))).toHaveLength(1);
    },
  );
});

describe('a forged SendTaskSuccess (the emailed token, an output of its own)', () => {
  test('with no result recorded it resolves nothing: the exam is closed, the administrators are told (ExamResultNotRecorded), the run fails with it and the link answers 410 ExamClosed', async () => {
    const { registered, link } = await waitingIncident();

    await observer.sfn.send(
      new SendTaskSuccessCommand({ taskToken: link.TaskToken, output: JSON.stringify({ Result: 'PASSED' }) }),
    );

    const { execution, events } = await executionEnded(system.sfnUrl, registered.executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ExamResultNotRecorded' });
    expect(execution.cause).toContain('{"Result":"PASSED"}');
    expect(readExamResults(events)).toEqual([
      expect.objectContaining({ ExamInRecord: true, Result: null, CallbackOutputIgnored: expect.any(String) }),
    ]);
    const incident = await getIncident(system.api, registered.IncidentId);
    expect(incident).toMatchObject({ Status: 'ADMIN_ACTION_REQUIRED' });
    expect(incident.Exams).toEqual([expect.objectContaining({ ExamId: link.ExamId, Result: null, Score: null })]);
    // The exam is closed: no token left on it, so no result can be recorded after the workflow judged it.
    const exam = await storedExam(registered.IncidentId);
    expect(exam?.TaskToken).toBeUndefined();
    expect(exam?.ClosedReason).toEqual({ S: 'ExamResultNotRecorded' });
    const [adminEmail] = await eventually('the administrators’ email', async () => {
      const emails = await emailsTo(system.sesUrl, ADMIN_EMAIL, (email) =>
        (email.body.text ?? '').includes(registered.IncidentId),
      );
      return emails.length > 0 ? emails : undefined;
    });
    expect(adminEmail.body.text).toContain('stopped at state SendExamNotification with error ExamResultNotRecorded');

    // The student's link is closed, and submitting changes nothing.
    const before = await observer.state(registered.IncidentId, registered.student.StudentEmail);
    expectError(await submitExam(link, correctAnswers()), 410, 'ExamClosed');
    const questions = await system.api.get<Answer>(
      `/exam/questions?${new URLSearchParams({ IncidentId: link.IncidentId, ExamId: link.ExamId, TaskToken: link.TaskToken })}`,
      { as: null },
    );
    expectError(questions, 410, 'ExamClosed');
    expect(await observer.state(registered.IncidentId, registered.student.StudentEmail)).toEqual(before);
  });

  test('over a recorded result that disagrees, the record counts: a FAILED stays FAILED, the next exam is scheduled, and the history says the callback output was ignored', async () => {
    const { registered, link } = await waitingIncident();
    await submitWithCallbackRefused(link, wrongAnswers());

    await observer.sfn.send(
      new SendTaskSuccessCommand({
        taskToken: link.TaskToken,
        output: JSON.stringify({ IncidentId: link.IncidentId, ExamId: link.ExamId, Score: 100, Result: 'PASSED' }),
      }),
    );

    // The second exam is scheduled and emailed: the workflow went by the recorded FAILED.
    const { link: second } = await examEmail(system.sesUrl, registered, 2);
    expect(second.ExamId).not.toBe(link.ExamId);
    const incident = await getIncident(system.api, registered.IncidentId);
    expect(incident.Status).toBe('EXAM_SCHEDULED');
    expect(incident.Exams).toEqual([
      expect.objectContaining({ ExamId: second.ExamId, Result: null }),
      expect.objectContaining({ ExamId: link.ExamId, Result: 'FAILED', Score: 0 }),
    ]);
    const [read] = readExamResults((await executionDetail(system.sfnUrl, registered.executionArn)).events);
    expect(read).toMatchObject({
      Result: 'FAILED',
      Score: 0,
      CallbackOutputIgnored: expect.stringContaining('but the exam record has Result FAILED and Score 0'),
    });
    // The student's own retry of that first exam is answered as its submission was: failed, two attempts left then.
    expect(await submitExam(link, wrongAnswers())).toMatchObject({
      status: 200,
      body: { ExamId: link.ExamId, Score: 0, Passed: false, AttemptsRemaining: 2 },
    });
  });
});

// Last in this file: moving the engine clock a week on times out every exam still waiting in this local cloud.
describe('at the deadline', () => {
  test('a result recorded but never delivered is taken, not overwritten with NOT_SAT: the incident resolves and no administrator is told the student did not sit', async () => {
    const { registered, link } = await waitingIncident();
    await submitWithCallbackRefused(link, correctAnswers());

    await advanceClock(system.sfnUrl, ONE_WEEK_SECONDS + 60);

    const incident = await incidentReaching(system.api, registered.IncidentId, 'RESOLVED');
    expect(incident.Exams).toEqual([expect.objectContaining({ ExamId: link.ExamId, Result: 'PASSED', Score: 100 })]);
    const { execution, events } = await executionEnded(system.sfnUrl, registered.executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    // The task timed out, then RecordExamNotSat's condition (no result yet) failed: the recorded result was read.
    const failures = events
      .filter((event) => event.type === 'TaskFailed' || event.type === 'TaskTimedOut')
      .map((event) =>
        event.type === 'TaskTimedOut'
          ? (event.taskTimedOutEventDetails as { error?: string }).error
          : event.taskFailedEventDetails?.error,
      );
    expect(failures).toEqual(['States.Timeout', 'DynamoDB.ConditionalCheckFailedException']);
    expect(readExamResults(events)).toEqual([
      { IncidentId: registered.IncidentId, ExamId: link.ExamId, ExamInRecord: true, Result: 'PASSED', Score: 100 },
    ]);
    expect(
      await emailsTo(system.sesUrl, ADMIN_EMAIL, (email) => (email.body.text ?? '').includes(registered.IncidentId)),
    ).toEqual([]);
    expectStatus(await submitExam(link, correctAnswers()), 200);
  });
});
