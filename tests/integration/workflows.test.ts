/**
 * Both workflows end to end in the local cloud (`startLocalCloud`, as `npm start` runs it): the template's state
 * machines through the Step Functions API, with the real functions, DynamoDB Local and the SES capture.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local/cloud';
import { dynamoDbClient } from '../../local/services/dynamodb-local';
import { freePorts } from '../../local/services/ports';
import { capturedEmails } from '../../local/services/ses-capture';
import { LOCAL_PARAMETER_VALUES } from '../../local/template/local-parameters';
import { sfnClient } from '../../local/sfn-api/client';
import { functionBundles } from '../support/function-bundles';
import { eventually } from '../support/eventually';

jest.setTimeout(90_000);

interface Exam {
  ExamId: string;
  Result: string | null;
  TaskToken?: string;
}

describe('the workflows in the local cloud', () => {
  let stateDir: string;
  let options: LocalCloudOptions;
  let cloud: LocalCloud;
  let sfn: SFNClient;
  let documents: DynamoDBDocumentClient;

  const connect = () => {
    sfn = sfnClient(cloud.urls.sfn, cloud.region);
    documents = DynamoDBDocumentClient.from(dynamoDbClient(cloud.urls.dynamodb));
  };
  const disconnect = () => {
    sfn?.destroy();
    documents?.destroy();
  };

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'workflows-it-'));
    const { codeRoot, build } = functionBundles();
    const [api, sfn, dynamodb, ses, cognito] = await freePorts(5);
    options = {
      ports: { api, sfn, dynamodb, ses, cognito },
      stateDir,
      codeRoot,
      webRoot: path.join(stateDir, 'web'),
      build,
    };
    cloud = await startLocalCloud(options);
    connect();
  });

  afterAll(async () => {
    disconnect();
    await cloud?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const incident = async (incidentId: string) =>
    (await documents.send(new GetCommand({ TableName: 'IncidentsTable', Key: { IncidentId: incidentId } }))).Item as
      | { Status: string; Exams: Exam[]; executionArn: string }
      | undefined;

  const emailTo = (address: string) =>
    eventually(`an email to ${address}`, async () =>
      (await capturedEmails(cloud.urls.ses)).find((email) => email.destination.to.includes(address)),
    );

  /** Starts the plagiarism workflow and waits until it waits for the exam result (token stored, student emailed). */
  const startIncident = async (incidentId: string) => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: cloud.stateMachines.PlagiarismStateMachine,
        name: incidentId,
        input: JSON.stringify({
          IncidentId: incidentId,
          StudentId: 's-1',
          StudentName: 'Sam Student',
          StudentEmail: `${incidentId}@example.com`,
          IncidentDate: '2026-01-15',
        }),
      }),
    );
    const exam = await eventually(`the task token of ${incidentId}`, async () => {
      const [newest] = (await incident(incidentId))?.Exams ?? [];
      return newest?.TaskToken ? newest : undefined;
    });
    await emailTo(`${incidentId}@example.com`);
    return { executionArn: executionArn!, exam };
  };

  /**
   * Hands the workflow an exam result as SubmitExamFunction does: recorded on the exam first, then SendTaskSuccess.
   * The workflow reads the result from the record; the token's output alone resolves nothing.
   */
  const submitResult = async (incidentId: string, exam: Exam, Score: number, Result: 'PASSED' | 'FAILED') => {
    await documents.send(
      new UpdateCommand({
        TableName: 'IncidentsTable',
        Key: { IncidentId: incidentId },
        UpdateExpression: 'SET Exams[0].#result = :result, Exams[0].Score = :score',
        ConditionExpression: 'Exams[0].ExamId = :examId',
        ExpressionAttributeNames: { '#result': 'Result' },
        ExpressionAttributeValues: { ':result': Result, ':score': Score, ':examId': exam.ExamId },
      }),
    );
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: exam.TaskToken!,
        output: JSON.stringify({ IncidentId: incidentId, ExamId: exam.ExamId, Score, Result }),
      }),
    );
  };

  const finished = (executionArn: string) =>
    eventually(`the end of ${executionArn}`, async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    });

  it('is healthy once started, with both state machines created from the template', async () => {
    expect(await cloud.health()).toEqual({ ok: true });
    const response = await fetch(`${cloud.urls.api}/_local/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(Object.keys(cloud.stateMachines).sort()).toEqual(['CallCentreStateMachine', 'PlagiarismStateMachine']);
  });

  it('reserves and cancels a room through the EXPRESS call-centre workflow', async () => {
    // A stay a year from now: inside the 730 days a Reserve may be made ahead.
    const today = Date.now();
    const night = (days: number) => new Date(today + days * 86_400_000).toISOString().slice(0, 10);
    const reserve = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: cloud.stateMachines.CallCentreStateMachine,
        input: JSON.stringify({
          TransactionType: 'Reserve',
          GuestName: 'Alan Turing',
          GuestEmail: 'alan@example.com',
          RoomType: 'DELUXE',
          CheckIn: night(365),
          CheckOut: night(368),
          ReservationId: 'wf-1',
        }),
      }),
    );
    expect(reserve.status).toBe('SUCCEEDED');
    expect(JSON.parse(reserve.output!)).toMatchObject({ ReservationId: 'wf-1', Status: 'CONFIRMED', Nights: 3 });
    expect((await emailTo('alan@example.com')).subject).toContain('wf-1');

    const cancel = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: cloud.stateMachines.CallCentreStateMachine,
        input: JSON.stringify({ TransactionType: 'Cancel', ReservationId: 'wf-1' }),
      }),
    );
    expect(JSON.parse(cancel.output!)).toMatchObject({ ReservationId: 'wf-1', Status: 'CANCELLED' });

    const unknown = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: cloud.stateMachines.CallCentreStateMachine,
        input: JSON.stringify({ TransactionType: 'Cancel', ReservationId: 'wf-none' }),
      }),
    );
    expect(unknown).toMatchObject({ status: 'FAILED', error: 'ReservationNotFound' });
  });

  it('resolves an incident when the exam result is recorded and SendTaskSuccess says so', async () => {
    const { executionArn, exam } = await startIncident('wf-passed');
    await submitResult('wf-passed', exam, 89, 'PASSED');
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
    expect((await incident('wf-passed'))?.Status).toBe('RESOLVED');
  });

  it('takes administrative action when the exam deadline passes on the engine clock', async () => {
    const { executionArn } = await startIncident('wf-not-sat');
    const advanced = await fetch(`${cloud.urls.sfn}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 7 * 24 * 3600 + 1 }),
    });
    expect(advanced.status).toBe(200);
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
    const record = await incident('wf-not-sat');
    expect(record).toMatchObject({ Status: 'ADMIN_ACTION_REQUIRED' });
    expect(record?.Exams[0].Result).toBe('NOT_SAT');
    expect((await emailTo('admin@example.com')).subject).toBeTruthy();

    // The administrators' email, found by the incident it names rather than by its address, so that a wrong
    // recipient fails the recipient check below instead of a wait.
    const email = await eventually('the administrators’ email about wf-not-sat', async () =>
      (await capturedEmails(cloud.urls.ses)).find(
        (candidate) =>
          !candidate.destination.to.includes('wf-not-sat@example.com') &&
          `${candidate.subject}\n${candidate.body.text}`.includes('wf-not-sat'),
      ),
    );
    // To the template's AdminEmail (the local cloud's value for it) and nobody else.
    expect(email.destination).toEqual({ to: [LOCAL_PARAMETER_VALUES.AdminEmail], cc: [], bcc: [] });
    expect(email.subject).toMatch(/^Action required\b/);
    expect(email.subject).toContain('wf-not-sat');
    // The reason (the exam not sat by its deadline), the incident and the student, and what the staff are to do.
    const facts = [
      'Sam Student did not sit the referencing exam before its deadline, so incident wf-not-sat now needs administrative action.',
      'Student: Sam Student (s-1, wf-not-sat@example.com)',
      'Incident wf-not-sat of 2026-01-15',
      'Exam 1: NOT_SAT',
      'Please review the incident and decide on the next steps.',
    ];
    for (const fact of facts) {
      expect(email.body.text).toContain(fact);
      expect(email.body.html).toContain(fact);
    }
  });

  it('keeps a waiting execution across a restart: the token still completes it', async () => {
    const { executionArn, exam } = await startIncident('wf-restart');
    disconnect();
    await cloud.stop();
    cloud = await startLocalCloud(options);
    connect();

    expect(await cloud.health()).toEqual({ ok: true });
    await submitResult('wf-restart', exam, 70, 'PASSED');
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
    expect((await incident('wf-restart'))?.Status).toBe('RESOLVED');
    // The outbox is kept too: the exam email sent before the restart is still there.
    expect(
      (await capturedEmails(cloud.urls.ses)).some((email) => email.destination.to.includes('wf-restart@example.com')),
    ).toBe(true);
  });
});
