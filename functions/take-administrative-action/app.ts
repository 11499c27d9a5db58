/**
 * TakeAdministrativeActionFunction: the end of the plagiarism workflow when the student did not sit the exam or
 * used up their attempts, or when the workflow itself stopped on an error its retries could not overcome
 * (WORKFLOW_FAILED, with the failed state, error and cause). Sets the incident's Status to ADMIN_ACTION_REQUIRED,
 * then emails ADMIN_EMAIL.
 *
 * Also the target of the EventBridge rule for a plagiarism execution that was stopped (StopExecution: ABORTED, which
 * runs no state of the workflow): {IncidentId (the execution's name), Reason: WORKFLOW_STOPPED, ExecutionArn}. Only
 * the incident that execution registered is marked, and only while its case is open (EXAM_SCHEDULED, or already
 * ADMIN_ACTION_REQUIRED: the email may go twice, never zero times); a resolved incident, or one another execution
 * owns, is left as it is.
 */
import * as z from 'zod/mini';
import { dynamo } from '../shared/infrastructure/clients';
import { sendEmail } from '../shared/infrastructure/email';
import { requireEnv } from '../shared/infrastructure/env';
import { logger } from '../shared/infrastructure/logger';
import { IncidentNotFound } from '../shared/plagiarism/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { findIncident, incidentsTable } from '../shared/plagiarism/incident';
import { type IncidentUpdate, incidentCountsTable, markCountedOnce } from '../shared/plagiarism/admin-action-count';
import { statusPartition } from '../shared/plagiarism/incident-index';
import { countMetric, publishMetrics } from '../shared/infrastructure/metrics';
import { identifier, parseInput } from '../shared/infrastructure/validation';
import { adminEmail } from './admin-email';

// Error and Cause are bounded as Step Functions bounds them (256 and 32768 characters); a state name has at most 80.
const adminActionEvent = z.discriminatedUnion('Reason', [
  z.object({ IncidentId: identifier(128), Reason: z.enum(['EXAM_NOT_SAT', 'EXAM_RETRIES_EXCEEDED']) }),
  z.object({
    IncidentId: identifier(128),
    Reason: z.literal('WORKFLOW_FAILED'),
    FailedState: identifier(80),
    Error: identifier(256),
    Cause: z.string().check(z.maxLength(32768)),
  }),
  // From the EventBridge rule (template.yaml PlagiarismExecutionStoppedRule): the execution's name and ARN.
  z.object({
    IncidentId: identifier(128),
    Reason: z.literal('WORKFLOW_STOPPED'),
    ExecutionArn: z.string().check(z.minLength(1), z.maxLength(2048)),
  }),
]);

const metricOf = {
  EXAM_NOT_SAT: 'AdminActionsExamNotSat',
  EXAM_RETRIES_EXCEEDED: 'AdminActionsRetriesExceeded',
  WORKFLOW_FAILED: 'AdminActionsWorkflowFailed',
  WORKFLOW_STOPPED: 'AdminActionsWorkflowStopped',
} as const;

async function takeAdministrativeAction(event: unknown) {
  const action = parseInput(adminActionEvent, event);
  const { IncidentId, Reason } = action;
  const incident = await findIncident(IncidentId);
  if (action.Reason === 'WORKFLOW_STOPPED') {
    // A stopped execution that registered no incident (stopped early, or one whose IncidentId another execution
    // owns) has nothing to mark: not an error, so the event is not retried.
    if (incident?.executionArn !== action.ExecutionArn) {
      logger.info('A stopped execution owns no incident: nothing to do', {
        IncidentId,
        ExecutionArn: action.ExecutionArn,
      });
      return { IncidentId, Status: incident?.Status ?? null, Reason };
    }
    if (!(await markStopped(IncidentId))) {
      logger.info('The stopped execution had already resolved its incident: nothing to do', { IncidentId });
      return { IncidentId, Status: 'RESOLVED' as const, Reason };
    }
    await sendEmail(adminEmail(incident, action, requireEnv('ADMIN_EMAIL')));
    countMetric(metricOf[Reason]);
    return { IncidentId, Status: 'ADMIN_ACTION_REQUIRED' as const, Reason };
  }
  if (!incident) throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
  // The status first: if SES is down, the incident already shows ADMIN_ACTION_REQUIRED on the admin page instead of
  // staying EXAM_SCHEDULED with nobody told. The update is idempotent (its only condition is that the incident
  // exists; the count of incidents needing action takes it once, admin-action-count.ts) and nothing skips the email for an incident already marked, so when the email fails the invocation
  // fails, the state machine's Retry (ServiceUnavailable: an SES outage) runs both again, and the email still goes
  // out: staff may get it twice, never zero times.
  const marked = markingUpdate(IncidentId, 'attribute_exists(IncidentId)', {});
  if (!(await markCountedOnce(dynamo, marked, incidentCountsTable()))) {
    throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
  }
  await sendEmail(adminEmail(incident, action, requireEnv('ADMIN_EMAIL')));
  countMetric(metricOf[Reason]);
  return { IncidentId, Status: 'ADMIN_ACTION_REQUIRED' as const, Reason };
}

/**
 * ADMIN_ACTION_REQUIRED for a stopped execution's incident, unless it was resolved (the stop came after its last
 * step): false then. ADMIN_ACTION_REQUIRED already (a retry of this event, a stop during a workflow failure) is set
 * again, so that a retry still emails.
 */
function markStopped(IncidentId: string): Promise<boolean> {
  const marked = markingUpdate(IncidentId, '#status IN (:scheduled, :status)', { ':scheduled': 'EXAM_SCHEDULED' });
  return markCountedOnce(dynamo, marked, incidentCountsTable());
}

/** The update that marks an incident ADMIN_ACTION_REQUIRED under `condition` (counted once: admin-action-count.ts). */
function markingUpdate(IncidentId: string, condition: string, values: Record<string, string>): IncidentUpdate {
  return {
    TableName: incidentsTable(),
    Key: { IncidentId },
    UpdateExpression: 'SET #status = :status, StatusPartition = :partition, UpdatedAt = :now',
    ConditionExpression: condition,
    ExpressionAttributeNames: { '#status': 'Status' },
    ExpressionAttributeValues: {
      ':status': 'ADMIN_ACTION_REQUIRED',
      ':partition': statusPartition('ADMIN_ACTION_REQUIRED', IncidentId),
      ':now': new Date().toISOString(),
      ...values,
    },
  };
}

export const handler = observedHandler(takeAdministrativeAction).use(publishMetrics());
