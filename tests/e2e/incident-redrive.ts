/**
 * A failed plagiarism run redriven from the admin page (issue 14). The student does not sit the exam (the clock moves
 * past the deadline), and TakeAdministrativeAction cannot run (its function fails with Lambda.ServiceException
 * through its Retry: `POST /_local/faults`), so the workflow FAILS there. The administrator sees that on the
 * incident, the cause is fixed (the fault disarmed), and the "Redrive the workflow" button goes on from that state:
 * the administrators are emailed, the incident needs administrative action, and the run SUCCEEDS, once redriven.
 * It moves the local cloud's clock a week on, so it runs after the other scenarios.
 * `npm run test:e2e -- --only "redrive"` runs it alone.
 */
import { staffHeaders } from '../support/staff-auth';
import { openPage } from './browser';
import { check, eventually, pageProblems } from './checks';
import type { E2eContext, Scenario } from './scenarios';
import { signInAs } from './sign-in';

const INCIDENT_ID = 'redrive-e2e-1';
const WEEK_AND_A_MINUTE = 7 * 24 * 3600 + 60;

interface Workflow {
  Status: string;
  Error?: string;
  RedriveCount: number;
  Redrivable: boolean;
  RedriveStatusReason?: string;
}

async function api(context: E2eContext, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = { ...(await staffHeaders({ apiUrl: context.apiUrl }, 'admin')), ...(init.headers ?? {}) };
  return fetch(`${context.apiUrl}${path}`, { ...init, headers });
}

async function local(context: E2eContext, path: string, method: string, body?: unknown): Promise<void> {
  const response = await fetch(`${context.apiUrl}/_local/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  check(response.ok, `${method} /_local/${path} answered ${response.status}: ${await response.text()}`);
}

async function workflowOf(context: E2eContext): Promise<Workflow> {
  const response = await api(context, `/incidents/${INCIDENT_ID}/workflow`);
  check(response.ok, `GET /incidents/${INCIDENT_ID}/workflow answered ${response.status}`);
  return (await response.json()) as Workflow;
}

/** Registers the incident and lets its workflow fail in TakeAdministrativeAction. */
async function failedRun(context: E2eContext): Promise<void> {
  const registered = await api(context, '/incident', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': INCIDENT_ID },
    body: JSON.stringify({
      StudentId: 'S-REDRIVE',
      StudentName: 'Rita Redrive',
      StudentEmail: 'rita@example.com',
      IncidentDate: new Date().toISOString().slice(0, 10),
    }),
  });
  check(registered.ok, `POST /incident answered ${registered.status}: ${await registered.text()}`);
  await eventually('the exam to be scheduled', async () => {
    const incident = await api(context, `/incidents/${INCIDENT_ID}`);
    return incident.ok && ((await incident.json()) as { Exams: unknown[] }).Exams.length > 0 ? true : undefined;
  });
  // The cause: the function that takes administrative action fails, every time, until the fault is disarmed. Not
  // just its Retry's attempts: moving the clock a week also ends the earlier scenarios' exams, whose workflows call
  // the same function and would use up a fault of a few invocations before this incident's turn.
  await local(context, 'faults', 'POST', {
    function: 'TakeAdministrativeActionFunction',
    error: 'Lambda.ServiceException',
    count: 1000,
  });
  await local(context, 'clock', 'POST', { advanceSeconds: WEEK_AND_A_MINUTE });
  const failed = await eventually('the workflow to fail', async () => {
    const run = await workflowOf(context);
    return run.Status === 'FAILED' ? run : undefined;
  });
  check(failed.Error === 'Lambda.ServiceException', `the workflow failed with ${failed.Error}`);
  check(failed.Redrivable && failed.RedriveCount === 0, `the failed run: ${JSON.stringify(failed)}`);
}

export const incidentRedriveScenarios: Scenario[] = [
  {
    name: 'redrive: a failed plagiarism run is shown on the admin page and redriven there once its cause is fixed',
    run: async (context) => {
      await failedRun(context);
      const tracked = await openPage(context.browser, 'desktop');
      const { page } = tracked;
      try {
        await page.goto(`${context.apiUrl}/admin/#incident=${INCIDENT_ID}`);
        await signInAs(page, 'admin');
        await page.getByText('The workflow failed: Lambda.ServiceException.').waitFor();
        const button = page.getByRole('button', { name: 'Redrive the workflow' });
        await button.waitFor();
        const problems = await pageProblems(page, 1280);
        check(problems.length === 0, `admin page with a failed run: ${problems.join('; ')}`);

        await local(context, 'faults', 'DELETE'); // the cause is fixed
        await button.click();
        await page.getByText('The workflow was redriven: it goes on from the step that did not succeed.').waitFor();
        await page.getByText('The workflow has ended. It has been redriven once.').waitFor({ timeout: 30_000 });
        check(!(await button.isVisible()), 'the redrive button is still shown after the redrive');

        const done = await workflowOf(context);
        check(done.Status === 'SUCCEEDED' && done.RedriveCount === 1, `after the redrive: ${JSON.stringify(done)}`);
        check(
          !done.Redrivable && done.RedriveStatusReason === 'Execution is SUCCEEDED and cannot be redriven',
          'reason',
        );
        const again = await api(context, `/incidents/${INCIDENT_ID}/redrive`, { method: 'POST' });
        check(again.status === 409, `a second redrive answered ${again.status}`);
        const incident = (await (await api(context, `/incidents/${INCIDENT_ID}`)).json()) as { Status: string };
        check(incident.Status === 'ADMIN_ACTION_REQUIRED', `the incident is ${incident.Status}`);
      } finally {
        await tracked.close();
      }
    },
  },
];
