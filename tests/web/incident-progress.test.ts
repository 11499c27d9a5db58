import plagiarism from '../../statemachine/plagiarism.asl.json';
import {
  plagiarismShape,
  progressFromIncident,
  type IncidentExam,
  type IncidentRecord,
} from '../../web/admin/incident-progress';

type Definition = Parameters<typeof progressFromIncident>[0];
const definition = plagiarism as unknown as Definition;

const exam = (Result: IncidentExam['Result'], n: number): IncidentExam => ({
  ExamId: `e${n}`,
  Deadline: '2026-03-17T00:00:00Z',
  Result,
  Score: Result === null ? null : 50,
});
const incident = (Status: IncidentRecord['Status'], oldestFirst: IncidentExam[]): IncidentRecord => ({
  IncidentId: 'i1',
  StudentId: 's1',
  StudentName: 'Ann',
  StudentEmail: 'ann@uni.edu',
  IncidentDate: '2026-03-01',
  Status,
  Exams: [...oldestFirst].reverse(),
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:i1',
  CreatedAt: '2026-03-01T09:00:00.000Z',
  UpdatedAt: '2026-03-01T09:00:00.000Z',
});
const colours = (i: IncidentRecord) => {
  const progress = progressFromIncident(definition, i)!;
  return { execution: progress.execution, states: Object.fromEntries(progress.states) };
};

describe('workflow progress from the incident record', () => {
  it('finds the loop in the plagiarism workflow by its shape', () => {
    expect(plagiarismShape(definition)).toEqual({
      toCallback: ['ValidateIncident', 'RegisterIncident', 'ScheduleExam', 'SendExamNotification'],
      callback: 'SendExamNotification',
      toChoice: ['ReadExamResult', 'HasStudentPassedExam'],
      loopStart: 2,
      passed: ['ResolveIncident'],
      notSat: ['RecordExamNotSat', 'TakeAdministrativeAction', 'HasWorkflowFailed', 'AdministrativeActionTaken'],
      retriesOwner: 'ScheduleExam',
      retriesExceeded: ['TakeAdministrativeAction', 'HasWorkflowFailed', 'AdministrativeActionTaken'],
      workflowFailed: ['TakeAdministrativeAction', 'HasWorkflowFailed', 'WorkflowFailed'],
    });
  });

  it('a new incident is scheduling its first exam', () => {
    expect(colours(incident('EXAM_SCHEDULED', []))).toEqual({
      execution: 'RUNNING',
      states: { ValidateIncident: 'succeeded', RegisterIncident: 'succeeded', ScheduleExam: 'running' },
    });
  });

  it('waits on the Testing Centre while an exam is pending', () => {
    expect(colours(incident('EXAM_SCHEDULED', [exam(null, 1)]))).toEqual({
      execution: 'RUNNING',
      states: {
        ValidateIncident: 'succeeded',
        RegisterIncident: 'succeeded',
        ScheduleExam: 'succeeded',
        SendExamNotification: 'running',
      },
    });
  });

  it('a pass resolves the incident', () => {
    expect(colours(incident('RESOLVED', [exam('FAILED', 1), exam('PASSED', 2)]))).toEqual({
      execution: 'SUCCEEDED',
      states: {
        ValidateIncident: 'succeeded',
        RegisterIncident: 'succeeded',
        ScheduleExam: 'succeeded',
        SendExamNotification: 'succeeded',
        ReadExamResult: 'succeeded',
        HasStudentPassedExam: 'succeeded',
        ResolveIncident: 'succeeded',
      },
    });
  });

  it('a fail loops back to schedule another exam', () => {
    expect(colours(incident('EXAM_SCHEDULED', [exam('FAILED', 1)])).states).toMatchObject({
      ReadExamResult: 'succeeded',
      HasStudentPassedExam: 'succeeded',
      ScheduleExam: 'running',
    });
    expect(colours(incident('EXAM_SCHEDULED', [exam('FAILED', 1), exam(null, 2)])).states).toMatchObject({
      ScheduleExam: 'succeeded',
      SendExamNotification: 'running',
    });
  });

  it('a missed deadline is a caught timeout followed by administrative action', () => {
    expect(colours(incident('ADMIN_ACTION_REQUIRED', [exam('NOT_SAT', 1)]))).toEqual({
      execution: 'SUCCEEDED',
      states: {
        ValidateIncident: 'succeeded',
        RegisterIncident: 'succeeded',
        ScheduleExam: 'succeeded',
        SendExamNotification: 'caught',
        RecordExamNotSat: 'succeeded',
        TakeAdministrativeAction: 'succeeded',
        HasWorkflowFailed: 'succeeded',
        AdministrativeActionTaken: 'succeeded',
      },
    });
  });

  describe('administrative action the exams cannot explain is a failed workflow (WORKFLOW_FAILED): caught, the staff told, then the Fail state', () => {
    const failedWorkflow = {
      TakeAdministrativeAction: 'succeeded',
      HasWorkflowFailed: 'succeeded',
      WorkflowFailed: 'failed',
    };

    it('no exam yet: ScheduleExam failed', () => {
      expect(colours(incident('ADMIN_ACTION_REQUIRED', []))).toEqual({
        execution: 'FAILED',
        states: {
          ValidateIncident: 'succeeded',
          RegisterIncident: 'succeeded',
          ScheduleExam: 'caught',
          ...failedWorkflow,
        },
      });
    });

    it('an exam without a result: the notification failed', () => {
      expect(colours(incident('ADMIN_ACTION_REQUIRED', [exam(null, 1)]))).toEqual({
        execution: 'FAILED',
        states: {
          ValidateIncident: 'succeeded',
          RegisterIncident: 'succeeded',
          ScheduleExam: 'succeeded',
          SendExamNotification: 'caught',
          ...failedWorkflow,
        },
      });
    });

    it('a passed exam: resolving the incident failed', () => {
      const result = colours(incident('ADMIN_ACTION_REQUIRED', [exam('PASSED', 1)]));
      expect(result.execution).toBe('FAILED');
      expect(result.states).toMatchObject({
        ReadExamResult: 'succeeded',
        HasStudentPassedExam: 'succeeded',
        ResolveIncident: 'caught',
        ...failedWorkflow,
      });
      expect(result.states.AdministrativeActionTaken).toBeUndefined();
    });
  });

  it('a third fail makes ScheduleExam refuse (caught) and takes administrative action', () => {
    const result = colours(
      incident('ADMIN_ACTION_REQUIRED', [exam('FAILED', 1), exam('FAILED', 2), exam('FAILED', 3)]),
    );
    expect(result.execution).toBe('SUCCEEDED');
    expect(result.states).toMatchObject({
      ScheduleExam: 'caught',
      TakeAdministrativeAction: 'succeeded',
      ReadExamResult: 'succeeded',
      HasStudentPassedExam: 'succeeded',
    });
    expect(result.states.RecordExamNotSat).toBeUndefined();
  });

  it('goes through a Choice that only guards the way on (every other branch fails), not one that decides', () => {
    const guarded = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Next: 'Wait' }], Default: 'Invalid' },
        Invalid: { Type: 'Fail' },
        Wait: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Next: 'Decide' },
        Decide: { Type: 'Choice', Choices: [{ Next: 'Done' }, { Next: 'Wait' }], Default: 'Invalid' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(plagiarismShape(guarded)).toMatchObject({
      toCallback: ['Check', 'Wait'],
      toChoice: ['Decide'],
      loopStart: 1,
      passed: ['Done'],
    });
  });

  it('returns undefined for a workflow without a callback loop', () => {
    expect(
      progressFromIncident({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, incident('RESOLVED', [])),
    ).toBeUndefined();
  });
});
