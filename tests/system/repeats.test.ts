/**
 * Repeats over HTTP against a real local cloud (issue 7 "Repeats"): the same incident POSTed again with the same
 * Idempotency-Key starts one execution (StartExecution's idempotency for STANDARD workflows), a key reused for other
 * details or an ended workflow is 409 IncidentAlreadyExists and changes nothing, a key that cannot be an execution
 * name is 400; and an exam submitted several times at once is recorded once and taken by the workflow once (one
 * TaskSucceeded in the execution's history): the same answers sent again are the same submission and get the same
 * 200 (its repeat delivers the recorded result again, which the closed task refuses), other answers 409.
 * What "nothing changed" means is read from the services themselves: the incident's item in DynamoDB (with its
 * task tokens and UpdatedAt), the executions and their histories on the Step Functions API, the SES capture.
 */
import { randomUUID } from 'node:crypto';
import { expectError, expectStatus, type Answer } from './support/assertions';
import { correctAnswers, wrongAnswers } from './support/exam';
import type { ApiAnswer } from './support/http';
import { callbacksTaken, IncidentObserver } from './support/incident-observer';
import {
  examEmail,
  incidentReaching,
  newStudent,
  submission,
  type RegisteredIncident,
  type StudentRequest,
} from './support/incidents';
import { emailsTo } from './support/outbox';
import { systemCloudOfThisFile } from './support/system-cloud';

jest.setTimeout(30_000);

const system = systemCloudOfThisFile();
let observer: IncidentObserver;
beforeAll(() => {
  observer = new IncidentObserver(system);
});
afterAll(() => observer?.destroy());

type Started = { IncidentId: string; executionArn: string; startDate: string };

/** POST /incident as a client program retrying safely sends it: with its Idempotency-Key header. */
function postIncident(student: StudentRequest, idempotencyKey?: string): Promise<ApiAnswer<Started & Answer>> {
  return system.api.post(
    '/incident',
    student,
    idempotencyKey === undefined ? {} : { headers: { 'Idempotency-Key': idempotencyKey } },
  );
}

const plagiarismArn = () => system.cloud.stateMachines.PlagiarismStateMachine;
const executionsNamed = (name: string) => observer.executionsNamed(name);
const observe = (incidentId: string, student: StudentRequest) => observer.state(incidentId, student.StudentEmail);

const newKey = () => `key-${randomUUID()}`;
const registered = (student: StudentRequest, started: Started): RegisteredIncident => ({ student, ...started });

describe('POST /incident with an Idempotency-Key', () => {
  test('sent twice in a row: the same answer, one execution, one incident, one exam email', async () => {
    const student = newStudent();
    const key = newKey();
    const first = await postIncident(student, key);
    expectStatus(first, 200);
    expect(first.body.IncidentId).toBe(key);
    expect(first.body.executionArn).toBe(`${plagiarismArn().replace(':stateMachine:', ':execution:')}:${key}`);
    await incidentReaching(system.api, key, 'EXAM_SCHEDULED');

    const again = await postIncident(student, key);
    expectStatus(again, 200);
    // startDate too: it is the first start's, not the repeat's request time.
    expect(again.body).toEqual(first.body);

    expect(await executionsNamed(key)).toEqual([
      expect.objectContaining({ executionArn: first.body.executionArn, status: 'RUNNING' }),
    ]);
    await examEmail(system.sesUrl, registered(student, first.body));
    const stored = await observer.storedIncident(key);
    expect(stored?.Exams?.L).toHaveLength(1);
    expect(await emailsTo(system.sesUrl, student.StudentEmail)).toHaveLength(1);
  });

  test('sent five times at once: five identical answers, one execution, one exam email', async () => {
    const student = newStudent();
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postIncident(student, key)));
    for (const answer of answers) expectStatus(answer, 200);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers[0].body.IncidentId).toBe(key);

    expect(await executionsNamed(key)).toHaveLength(1);
    await examEmail(system.sesUrl, registered(student, answers[0].body));
    const incident = await incidentReaching(system.api, key, 'EXAM_SCHEDULED');
    expect(incident.Exams).toHaveLength(1);
    expect(await emailsTo(system.sesUrl, student.StudentEmail)).toHaveLength(1);
  });

  test('the same key with other details is 409 IncidentAlreadyExists, and nothing changes', async () => {
    const student = newStudent();
    const key = newKey();
    const first = await postIncident(student, key);
    expectStatus(first, 200);
    await examEmail(system.sesUrl, registered(student, first.body));
    const before = await observe(key, student);

    for (const other of [
      { ...student, StudentName: 'Someone Else' },
      { ...student, Description: undefined },
      newStudent(),
    ]) {
      expectError(await postIncident(other, key), 409, 'IncidentAlreadyExists');
    }
    expect(await observe(key, student)).toEqual(before);
  });

  test('the key of an incident whose workflow has ended is 409 with the very same details too, and the record is kept', async () => {
    const student = newStudent();
    const key = newKey();
    const first = await postIncident(student, key);
    expectStatus(first, 200);
    const { link } = await examEmail(system.sesUrl, registered(student, first.body));
    expectStatus(await system.api.post('/exam', submission(link, correctAnswers()), { as: null }), 200);
    await incidentReaching(system.api, key, 'RESOLVED');
    await expect(observer.executionEnded(key)).resolves.toBe('SUCCEEDED');
    const before = await observe(key, student);

    expectError(await postIncident(student, key), 409, 'IncidentAlreadyExists');
    expectError(await postIncident(newStudent(), key), 409, 'IncidentAlreadyExists');
    expect(await observe(key, student)).toEqual(before);
  });

  test('an incident registered without a key cannot be taken over by sending its IncidentId as a key', async () => {
    const student = newStudent();
    const plain = await postIncident(student);
    expectStatus(plain, 200);
    await examEmail(system.sesUrl, registered(student, plain.body));
    const before = await observe(plain.body.IncidentId, student);

    expectError(await postIncident(newStudent(), plain.body.IncidentId), 409, 'IncidentAlreadyExists');
    expect(await observe(plain.body.IncidentId, student)).toEqual(before);
  });

  test.each([
    ['a space', 'two words'],
    ['a slash', 'a/b'],
    ['a quote', 'k"x'],
    ['a dot', 'a.b'],
    ['81 characters', 'k'.repeat(81)],
  ])('a key with %s is 400 ValidationError naming Idempotency-Key, and starts nothing', async (_case, key) => {
    const incidentsBefore = (await system.api.get<{ Items: unknown[] }>('/incidents')).body.Items.length;
    const answer = await postIncident(newStudent(), key);
    expectError(answer, 400, 'ValidationError');
    expect(answer.body.message).toContain('Idempotency-Key');
    expect(await executionsNamed(key)).toEqual([]);
    expect(await executionsNamed('invalid Idempotency-Key')).toEqual([]);
    expect((await system.api.get<{ Items: unknown[] }>('/incidents')).body.Items.length).toBe(incidentsBefore);
  });

  test('without a key every POST is a new incident (the request id names it)', async () => {
    const student = newStudent();
    const [one, two] = await Promise.all([postIncident(student), postIncident(student)]);
    expectStatus(one, 200);
    expectStatus(two, 200);
    expect(one.body.IncidentId).not.toBe(two.body.IncidentId);
    expect(await executionsNamed(one.body.IncidentId)).toHaveLength(1);
    expect(await executionsNamed(two.body.IncidentId)).toHaveLength(1);
  });
});

describe('the same exam submitted several times at once', () => {
  test.each([2, 5])(
    '%i submissions: the winner and every identical one 200 with the same body, the others 409 ExamAlreadySubmitted; one result, one callback taken',
    async (count) => {
      const student = newStudent();
      const started = await postIncident(student);
      expectStatus(started, 200);
      const { link } = await examEmail(system.sesUrl, registered(student, started.body));
      const { IncidentId, executionArn } = started.body;

      // Half of them right, half wrong: the stored result must be the winner's, whichever it is.
      const bodies = Array.from({ length: count }, (_, i) =>
        submission(link, i % 2 === 0 ? correctAnswers() : wrongAnswers()),
      );
      const answers = await Promise.all(bodies.map((body) => system.api.post<Answer>('/exam', body, { as: null })));

      const winners = answers.filter((answer) => answer.status === 200);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      const [winner] = winners;
      // A repeat of the winning submission is that submission: answered as it was. Every other answer is refused.
      const sameAsWinner = (index: number) =>
        JSON.stringify(bodies[index].Answers) === JSON.stringify(bodies[answers.indexOf(winner)].Answers);
      answers.forEach((answer, index) => {
        if (sameAsWinner(index)) expect(answer).toMatchObject({ status: 200, body: winner.body });
        else expectError(answer, 409, 'ExamAlreadySubmitted');
      });

      const incident = await incidentReaching(
        system.api,
        IncidentId,
        winner.body.Passed ? 'RESOLVED' : 'EXAM_SCHEDULED',
      );
      const submitted = incident.Exams.filter((exam) => exam.ExamId === link.ExamId);
      expect(submitted).toEqual([
        expect.objectContaining({ Result: winner.body.Passed ? 'PASSED' : 'FAILED', Score: winner.body.Score }),
      ]);
      expect(callbacksTaken(await observer.historyOf(executionArn))).toHaveLength(1);
    },
  );
});
