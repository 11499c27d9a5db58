/**
 * The admin page's incident list at scale (issue 18), at desktop and phone width: a page at a time with "Show more",
 * filters by status and by student, and the count of incidents needing administrative action. 45 incidents are
 * written straight into DynamoDB Local (as the workflow leaves them), so the list has pages to go through.
 * `npm run test:e2e -- --only "incident list"` runs these alone.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import type { IncidentStatus } from '../../functions/shared/plagiarism/incident-index';
import { dynamoDbClient } from '../../local/services/dynamodb-local';
import { createdAt, incidentItem, putCountedIncidents, type IncidentSpec } from '../support/incident-items';
import { staffHeaders } from '../support/staff-auth';
import { openPage, VIEWPORTS, type ViewportName } from './browser';
import { check, pageProblems } from './checks';
import { signInAs } from './sign-in';
import type { E2eContext, Scenario } from './scenarios';

const SEEDED: IncidentSpec[] = Array.from({ length: 45 }, (_, index) => ({
  IncidentId: `list-${String(index).padStart(2, '0')}`,
  // Newer than anything the other scenarios register (their clock is today's): these fill the first pages.
  CreatedAt: createdAt('2099-01-01T00:00:00.000Z', index * 60_000),
  Status: (index % 9 === 0
    ? 'ADMIN_ACTION_REQUIRED'
    : index % 3 === 0
      ? 'RESOLVED'
      : 'EXAM_SCHEDULED') as IncidentStatus,
  StudentId: index % 15 === 0 ? 'S-LIST-ONE' : `S-LIST-${index}`,
}));

async function seed(context: E2eContext): Promise<void> {
  if (context.state.incidentListSeeded) return;
  const client = dynamoDbClient(context.dynamodbUrl);
  try {
    await putCountedIncidents(DynamoDBDocumentClient.from(client), SEEDED.map(incidentItem));
  } finally {
    client.destroy();
  }
  context.state.incidentListSeeded = true;
}

/** What lets an administrator in: signing in on the page as the local admin (tests/e2e/sign-in.ts). */
async function signInAsAdmin(page: Page): Promise<void> {
  await signInAs(page, 'admin');
}

/** GET /incidents?select=count as the API answers it, to compare with what the page shows. */
async function countOf(context: E2eContext, query: Record<string, string>): Promise<number> {
  const response = await fetch(`${context.apiUrl}/incidents?${new URLSearchParams({ ...query, select: 'count' })}`, {
    headers: await staffHeaders({ apiUrl: context.apiUrl }, 'admin'),
  });
  check(response.ok, `GET /incidents?select=count answered ${response.status}`);
  return ((await response.json()) as { Count: number }).Count;
}

const rows = (page: Page) => page.locator('#incident-table tbody tr');

async function rowIds(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((elements) => elements.map((row) => row.getAttribute('data-incident-row') ?? ''));
}

async function waitForRows(page: Page, count: number, where: string): Promise<void> {
  await page
    .waitForFunction((expected) => document.querySelectorAll('#incident-table tbody tr').length === expected, count, {
      timeout: 15_000,
    })
    .catch(async () => {
      const status = await page.locator('#list-status').innerText();
      throw new Error(`${where}: expected ${count} rows, the page shows ${await rows(page).count()} (${status})`);
    });
}

function incidentListScenario(viewport: ViewportName): Scenario {
  return {
    name: `incident list (${viewport}): pages through with "Show more", filters by status and by student, counts those needing action`,
    run: async (context) => {
      await seed(context);
      const tracked = await openPage(context.browser, viewport);
      const { page } = tracked;
      try {
        await page.goto(`${context.apiUrl}/admin/`);
        await signInAsAdmin(page);

        // The first page: 20, newest first, the seeded ones (dated 2099) before anything else.
        await waitForRows(page, 20, 'first page');
        const newestFirst = [...SEEDED].reverse().map((spec) => spec.IncidentId);
        check(
          JSON.stringify(await rowIds(page)) === JSON.stringify(newestFirst.slice(0, 20)),
          `first page newest first: ${await rowIds(page)}`,
        );

        // The count of incidents needing action, as the API counts them.
        const needingAction = await countOf(context, { status: 'ADMIN_ACTION_REQUIRED' });
        check(needingAction >= 5, `at least the 5 seeded incidents need action: ${needingAction}`);
        await page.locator('#action-count-number').getByText(String(needingAction), { exact: true }).waitFor();

        // Show more: every incident exactly once, then no more button.
        const total = await countOf(context, {});
        for (let shown = 20; shown < total; shown = Math.min(total, shown + 20)) {
          await page.getByRole('button', { name: 'Show more incidents' }).click();
          await waitForRows(page, Math.min(total, shown + 20), `after Show more (${shown} shown)`);
        }
        const all = await rowIds(page);
        check(new Set(all).size === total, `${total} different incidents shown: ${all.length} rows`);
        check(all.slice(0, 45).join() === newestFirst.join(), 'the seeded incidents in order, newest first');
        await page.getByRole('button', { name: 'Show more incidents' }).waitFor({ state: 'hidden' });

        // "Show them": only the incidents needing action.
        await page.getByRole('button', { name: 'Show them' }).click();
        await waitForRows(page, Math.min(needingAction, 20), 'needing action');
        const statuses = await page.locator('#incident-table tbody td[data-label="Status"]').allInnerTexts();
        check(
          statuses.every((text) => text.trim() === 'Admin action required'),
          `only incidents needing action: ${statuses}`,
        );
        check(
          (await page.locator('#filter-status').inputValue()) === 'ADMIN_ACTION_REQUIRED',
          'the status filter shows what is applied',
        );

        // By student: the three incidents of S-LIST-ONE, of any status.
        await page.locator('#filter-status').selectOption('');
        await page.locator('#filter-student').fill('S-LIST-ONE');
        await page.getByRole('button', { name: 'Filter', exact: true }).click();
        await waitForRows(page, 3, 'one student');
        check(
          (await rowIds(page)).join() === ['list-30', 'list-15', 'list-00'].join(),
          `the student's incidents newest first: ${await rowIds(page)}`,
        );
        // Student and status together, then nothing matching.
        await page.locator('#filter-status').selectOption('RESOLVED');
        await page.getByRole('button', { name: 'Filter', exact: true }).click();
        await waitForRows(page, 2, 'one student, resolved');
        check(
          (await rowIds(page)).join() === ['list-30', 'list-15'].join(),
          `the student's resolved incidents: ${await rowIds(page)}`,
        );
        await page.locator('#filter-student').fill('S-NOBODY');
        await page.getByRole('button', { name: 'Filter', exact: true }).click();
        await page.getByText('No incident matches these filters.').waitFor();

        // Clear: back to the first page of everything.
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await waitForRows(page, 20, 'cleared');
        check((await page.locator('#filter-status').inputValue()) === '', 'the filters are cleared');

        const problems = await pageProblems(page, VIEWPORTS[viewport].width);
        check(problems.length === 0, `admin list at ${viewport} width: ${problems.join('; ')}`);
        check(tracked.errors.length === 0, `console errors:\n  ${tracked.errors.join('\n  ')}`);
      } finally {
        await tracked.close();
      }
    },
  };
}

export const incidentListScenarios: Scenario[] = [incidentListScenario('desktop'), incidentListScenario('phone')];
