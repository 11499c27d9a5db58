/**
 * TakeAdministrativeActionFunction: the end of the plagiarism workflow when the student did not sit the exam or
 * used up their attempts, or when the workflow itself stopped on an error its retries could not overcome
 * (WORKFLOW_FAILED, with the failed state, error and cause). Sets the incident's Status to ADMIN_ACTION_REQUIRED,
 * then emails ADMIN_EMAIL.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '../shared/infrastructure/clients';
import { sendEmail } from '../shared/infrastructure/email';
import { requireEnv } from '../shared/infrastructure/env';
import { IncidentNotFound } from '../shared/plagiarism/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { findIncident, incidentsTable } from '../shared/plagiarism/incident';
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
    Cause: z.string().max(32768),
  }),
]);

const metricOf = {
  EXAM_NOT_SAT: 'AdminActionsExamNotSat',
  EXAM_RETRIES_EXCEEDED: 'AdminActionsRetriesExceeded',
  WORKFLOW_FAILED: 'AdminActionsWorkflowFailed',
} as const;

async function takeAdministrativeAction(event: unknown) {
  const action = parseInput(adminActionEvent, event);
  const { IncidentId, Reason } = action;
  const incident = await findIncident(IncidentId);
  if (!incident) throw new IncidentNotFound(`There is no incident ${IncidentId}.`);
  // The status first: if SES is down, the incident already shows ADMIN_ACTION_REQUIRED on the admin page instead of
  // staying EXAM_SCHEDULED with nobody told. The update is idempotent (its only condition is that the incident
  // exists) and nothing skips the email for an incident already marked, so when the email fails the invocation
  // fails, the state machine's Retry (ServiceUnavailable: an SES outage) runs both again, and the email still goes
  // out: staff may get it twice, never zero times.
  await dynamo.send(
    new UpdateCommand({
      TableName: incidentsTable(),
      Key: { IncidentId },
      UpdateExpression: 'SET #status = :status, UpdatedAt = :now',
      ConditionExpression: 'attribute_exists(IncidentId)',
      ExpressionAttributeNames: { '#status': 'Status' },
      ExpressionAttributeValues: { ':status': 'ADMIN_ACTION_REQUIRED', ':now': new Date().toISOString() },
    }),
  );
  await sendEmail(adminEmail(incident, action, requireEnv('ADMIN_EMAIL')));
  countMetric(metricOf[Reason]);
  return { IncidentId, Status: 'ADMIN_ACTION_REQUIRED' as const, Reason };
}

export const handler = observedHandler(takeAdministrativeAction).use(publishMetrics());
