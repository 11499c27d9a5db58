/**
 * The browser scenarios of `npm run test:e2e`, run in order against one fresh local cloud. Each drives the
 * pages as a person would (labels, buttons, links from the captured email) and checks what they show.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage, VIEWPORTS, type TrackedPage, type ViewportName } from './browser';
import { check, eventually, pageProblems } from './checks';
import { signInAs } from './sign-in';
import { staffHeaders } from '../support/staff-auth';

export interface E2eContext {
  browser: Browser;
  apiUrl: string;
  sesUrl: string;
  /** DynamoDB Local's endpoint (scenarios that need many incidents write them there directly). */
  dynamodbUrl: string;
  /** Where page screenshots are written (docs/screenshots when asked for). */
  screenshotsDir?: string;
  /** What one scenario leaves for the next. */
  state: { incidentId?: string; examLink?: string; freshExamLink?: string; incidentListSeeded?: boolean };
}

export interface Scenario {
  name: string;
  run(context: E2eContext): Promise<void>;
}

interface CapturedEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

const QUESTIONS = JSON.parse(readFileSync(path.resolve(__dirname, '../../data/exam-questions.json'), 'utf8')) as {
  QuestionId: string;
  Answer: string;
}[];
/** Names and emails are user input: markup in them must come out as text. */
const STUDENT_NAME = `Ann <i>O'Brien</i> & "Co"`;

async function withPage(
  context: E2eContext,
  viewport: ViewportName,
  body: (tracked: TrackedPage) => Promise<void>,
): Promise<void> {
  const tracked = await openPage(context.browser, viewport);
  try {
    await body(tracked);
  } finally {
    await tracked.close();
  }
}

function noErrors(tracked: TrackedPage, where: string): void {
  check(tracked.errors.length === 0, `${where}: console errors:\n  ${tracked.errors.join('\n  ')}`);
}

/** The Testing Centre link in the newest email to `to` that has one. */
async function examLinkFor(context: E2eContext, to: string, notIn: string[] = []): Promise<string> {
  return eventually(`an exam email to ${to}`, async () => {
    const { emails } = (await (await fetch(`${context.sesUrl}/store`)).json()) as { emails: CapturedEmail[] };
    for (const email of [...emails].reverse()) {
      if (!email.destination.to.includes(to)) continue;
      const link = /https?:\/\/[^\s"'<>]+\/testcentre\/\?[^\s"'<>]+/
        .exec(`${email.body.text ?? ''} ${email.body.html ?? ''}`)?.[0]
        ?.replace(/&amp;/g, '&');
      if (link && !notIn.includes(link)) return link;
    }
    return undefined;
  });
}

async function registerThroughPage(page: Page, student: { id: string; name: string; email: string }): Promise<void> {
  await page.getByLabel('Student ID').fill(student.id);
  await page.getByLabel("Student's name").fill(student.name);
  await page.getByLabel("Student's email").fill(student.email);
  await page.getByLabel('What happened').fill('Copied two paragraphs <script>alert(1)</script> without citation.');
  // An impatient double click: the submission in flight answers for both.
  await page.getByRole('button', { name: 'Register incident' }).dblclick();
}

/** The Idempotency-Key of every POST /incident the page sends ('' for one sent without it). */
function incidentKeysSent(page: Page): string[] {
  const keys: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/incident'))
      keys.push(request.headers()['idempotency-key'] ?? '');
  });
  return keys;
}

/** A second incident registered through the API, whose exam stays unsubmitted: its Testing Centre link. */
async function freshExamLink(context: E2eContext): Promise<string> {
  if (!context.state.freshExamLink) {
    const response = await fetch(`${context.apiUrl}/incident`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await staffHeaders({ apiUrl: context.apiUrl }, 'admin')) },
      body: JSON.stringify({
        StudentId: 'S-2002',
        StudentName: 'Jo Park',
        StudentEmail: 'jo.park@example.edu',
        IncidentDate: new Date().toISOString().slice(0, 10),
      }),
    });
    check(response.ok, `POST /incident answered ${response.status}`);
    context.state.freshExamLink = await examLinkFor(context, 'jo.park@example.edu');
  }
  return context.state.freshExamLink.replace(/^https?:\/\/[^/]+/, context.apiUrl);
}

async function screenshot(context: E2eContext, page: Page, name: string): Promise<void> {
  if (context.screenshotsDir)
    await page.screenshot({ path: path.join(context.screenshotsDir, `${name}.png`), fullPage: true });
}

export const scenarios: Scenario[] = [
  {
    name: 'an admin registers an incident in the page (validation first, then the incident with its status)',
    run: (context) =>
      withPage(context, 'desktop', async (tracked) => {
        const { page } = tracked;
        await page.goto(`${context.apiUrl}/admin/`);
        await signInAs(page, 'admin');
        // The form's checks mirror the API's: nothing is sent until they pass.
        await page.getByLabel("Student's email").fill('not-an-email');
        await page.getByRole('button', { name: 'Register incident' }).click();
        await page.getByText("Enter the student's email as name@example.com.").waitFor();
        check(
          await page
            .getByLabel('Student ID')
            .evaluate((el) => el.getAttribute('aria-invalid') === 'true' && document.activeElement === el),
          'the first invalid field is marked and focused',
        );
        const keysSent = incidentKeysSent(page);
        await registerThroughPage(page, { id: 'S-1001', name: STUDENT_NAME, email: 'ann.obrien@example.edu' });
        await page.getByText(`Incident registered for ${STUDENT_NAME}.`).waitFor();
        await page.locator('#incident-detail').waitFor();
        context.state.incidentId = decodeURIComponent(new URL(page.url()).hash.replace('#incident=', ''));
        check(context.state.incidentId, 'the registered incident is opened');
        // The key becomes the IncidentId (docs/ARCHITECTURE.md "Additions to the contract").
        check(
          keysSent.length === 1 &&
            /^[A-Za-z0-9_-]{1,80}$/.test(keysSent[0]!) &&
            keysSent[0] === context.state.incidentId,
          `one POST /incident, with an Idempotency-Key that became the IncidentId: ${JSON.stringify(keysSent)}`,
        );
        const row = page.locator(`tr[data-incident-row="${context.state.incidentId}"]`);
        await row.waitFor();
        check((await row.innerText()).includes(STUDENT_NAME), 'the list shows the name exactly as typed');
        check(
          (await page.locator('#incident-table i, #detail-body i, #detail-body script').count()) === 0,
          'markup in a name or description is never rendered',
        );
        await page.locator('#detail-body').getByText('Exam scheduled').first().waitFor();
        noErrors(tracked, 'admin');
      }),
  },
  {
    name: 'the Testing Centre link from the captured email is opened, the exam sat and passed in the page',
    run: (context) =>
      withPage(context, 'desktop', async (tracked) => {
        const { page } = tracked;
        context.state.examLink = await examLinkFor(context, 'ann.obrien@example.edu');
        const link = new URL(context.state.examLink);
        check(
          link.searchParams.get('IncidentId') === context.state.incidentId &&
            link.searchParams.get('ExamId') &&
            link.searchParams.get('TaskToken'),
          `the emailed link carries the incident, exam and token: ${link}`,
        );
        await page.goto(context.state.examLink.replace(/^https?:\/\/[^/]+/, context.apiUrl));
        await page.getByRole('heading', { name: 'Questions' }).waitFor();
        check(
          (await page.locator('#exam-student').innerText()) === STUDENT_NAME,
          'the page says who the exam is for, as typed',
        );
        check(await page.locator('#exam-deadline').isVisible(), 'the page shows the deadline');
        check((await page.locator('fieldset.question').count()) === QUESTIONS.length, 'every question is shown');
        // Submitting with questions unanswered is caught in the page.
        await page.locator(`input[name="${QUESTIONS[0]!.QuestionId}"][value="${QUESTIONS[0]!.Answer}"]`).check();
        await page.getByRole('button', { name: 'Submit answers' }).click();
        await page.getByText(/Answer every question before submitting: questions 2, /).waitFor();
        for (const question of QUESTIONS)
          await page.locator(`input[name="${question.QuestionId}"][value="${question.Answer}"]`).check();
        await page.getByText(`${QUESTIONS.length} of ${QUESTIONS.length} answered`).waitFor();
        await page.getByRole('button', { name: 'Submit answers' }).click();
        await page.locator('#result-score').waitFor();
        check((await page.locator('#result-score').innerText()) === '100%', 'all answers right scores 100%');
        check((await page.locator('#result-outcome').innerText()).includes('Passed'), 'the result says passed');
        check((await page.locator('#result-next').innerText()).includes('resolved'), 'the page says what happens next');
        noErrors(tracked, 'testcentre');
      }),
  },
  {
    name: 'a used, tampered or incomplete exam link gets a clear message',
    run: (context) =>
      withPage(context, 'desktop', async ({ page }) => {
        // The page asks the API about the link before showing any question, so a bad link is told at once.
        await page.goto(context.state.examLink!.replace(/^https?:\/\/[^/]+/, context.apiUrl));
        await page.getByText('This exam has already been submitted').waitFor();
        check(await page.locator('#exam-form').isHidden(), 'a used link shows no questions');
        const tampered = new URL(await freshExamLink(context));
        tampered.searchParams.set('TaskToken', 'not-the-token');
        await page.goto(tampered.href);
        await page.getByText('This exam link is not valid.').waitFor();
        check(await page.locator('#exam-form').isHidden(), 'a tampered link shows no questions');
        // The untampered link of that exam still works, and shows who it is for.
        await page.goto(await freshExamLink(context));
        await page.locator('#exam-student', { hasText: 'Jo Park' }).waitFor();
        await page.locator('#exam-deadline').waitFor();
        await page.getByRole('heading', { name: 'Questions' }).waitFor();
        await page.goto(`${context.apiUrl}/testcentre/?IncidentId=${context.state.incidentId}`);
        await page.getByText('This page needs the exam link from your email.').waitFor();
      }),
  },
  {
    name: 'the admin page shows the incident resolved, with the graph coloured from its execution history',
    run: (context) =>
      withPage(context, 'desktop', async (tracked) => {
        const { page } = tracked;
        await page.goto(`${context.apiUrl}/admin/`);
        await signInAs(page, 'admin');
        await page.goto(`${context.apiUrl}/admin/#incident=${encodeURIComponent(context.state.incidentId!)}`);
        await eventually('the incident to be resolved', async () => {
          await page.reload();
          return (await page.locator('#detail-body .badge', { hasText: 'Resolved' }).count()) > 0 ? true : undefined;
        });
        const node = (state: string) => page.locator(`svg.graph g[data-state="${state}"]`);
        await node('ResolveIncident').waitFor();
        for (const state of [
          'RegisterIncident',
          'ScheduleExam',
          'SendExamNotification',
          'ReadExamResult',
          'HasStudentPassedExam',
          'ResolveIncident',
        ]) {
          check((await node(state).getAttribute('data-status')) === 'succeeded', `${state} is coloured succeeded`);
        }
        check(
          (await node('TakeAdministrativeAction').getAttribute('data-status')) === 'notReached',
          'the admin-action path is not reached',
        );
        check((await page.locator('#exam-table').innerText()).includes('Passed'), 'the exam is listed as passed');
        // Keyboard: a state node takes focus and Enter shows only its events.
        await node('SendExamNotification').focus();
        await page.keyboard.press('Enter');
        await page.getByText(/Events of state SendExamNotification/).waitFor();
        check(
          (await page.locator('table.history tbody tr', { hasText: 'TaskSubmitted' }).count()) === 1,
          'the callback task shows its TaskSubmitted event',
        );
        noErrors(tracked, 'admin detail');
      }),
  },
  {
    name: 'an agent reserves and cancels a room in the console; a full hotel is said in plain words',
    run: (context) =>
      withPage(context, 'desktop', async (tracked) => {
        const { page } = tracked;
        await page.goto(`${context.apiUrl}/callcenter/`);
        await signInAs(page, 'agent');
        const reserveSuite = async (guest: string) => {
          await page.getByLabel("Guest's name").fill(guest);
          await page.getByLabel("Guest's email").fill('guest@example.com');
          await page.getByLabel('Room type').selectOption('SUITE');
          await page.getByRole('button', { name: 'Reserve', exact: true }).click();
        };
        await reserveSuite('Bo <b>Lind</b>');
        await page.locator('#answer-reserved').waitFor();
        const reservationId = (await page.locator('#reserved-id').innerText()).trim();
        check(reservationId, 'the answer shows the reservation ID');
        check((await page.locator('#answer b').count()) === 0, "the guest's name is shown as text");
        const row = page.locator(`tr[data-reservation-row="${reservationId}"]`);
        check((await row.innerText()).includes('Confirmed'), 'the reservation is listed as confirmed');
        // The hotel has two suites: the third request for the same nights finds none free.
        await reserveSuite('Cy Moss');
        await page.locator('#answer-reserved').waitFor();
        await reserveSuite('Di Nash');
        await page.getByText(/No suite room is free for every night from/).waitFor();
        await row.getByRole('button', { name: `Cancel reservation ${reservationId}` }).click();
        await page.locator('#answer-cancelled').waitFor();
        check((await row.innerText()).includes('Cancelled'), 'the reservation is listed as cancelled');
        // Cancelling an unknown reservation is explained, not shown as a raw error.
        await page.getByLabel('Reservation ID').fill('no-such-reservation');
        await page.getByRole('button', { name: 'Cancel reservation', exact: true }).click();
        await page.getByText('There is no reservation with ID no-such-reservation.').waitFor();
        tracked.errors.splice(
          0,
          tracked.errors.length,
          ...tracked.errors.filter((e) => !/status of (404|409)/.test(e)),
        );
        noErrors(tracked, 'callcenter');
      }),
  },
  {
    name: 'the local dashboard lists the executions, draws one with its history and its X-Ray trace, and shows the outbox',
    run: (context) =>
      withPage(context, 'desktop', async (tracked) => {
        const { page } = tracked;
        await page.goto(`${context.apiUrl}/_local/`);
        await page.locator('table[data-machine="PlagiarismStateMachine"]').waitFor();
        await page.locator('table[data-machine="CallCentreStateMachine"]').waitFor();
        await page.getByRole('button', { name: `Open execution ${context.state.incidentId}` }).click();
        await page
          .locator('#execution-graph svg.graph g[data-state="ResolveIncident"][data-status="succeeded"]')
          .waitFor();
        await page.locator('table.history').waitFor();
        check((await page.locator('table.history tbody tr').count()) > 10, 'the whole history is listed');

        // The execution's Lambda tasks share its X-Ray trace: the link opens the timeline of both functions and their SDK calls.
        await page.getByRole('link', { name: `Open the trace of execution ${context.state.incidentId}` }).click();
        const timeline = page.locator('#trace-body table.waterfall');
        await timeline.waitFor();
        await page.waitForFunction(() => document.activeElement?.id === 'trace-detail'); // the opened trace receives focus
        const segments = await timeline.locator('tbody th[scope="row"]').allInnerTexts();
        for (const expected of [
          'ScheduleExamFunction',
          'SendExamNotificationFunction',
          '## app.handler',
          'DynamoDB UpdateItem IncidentsTable',
          'SES SendEmail',
        ]) {
          check(
            segments.some((segment) => segment.includes(expected)),
            `the execution's trace shows ${expected} (rows: ${segments.join(' | ')})`,
          );
        }
        const handlerRow = timeline
          .locator('tbody tr', { has: page.locator('th', { hasText: '## app.handler' }) })
          .first();
        await handlerRow.locator('summary').click();
        check(
          (await handlerRow.innerText()).includes('ColdStart'),
          'the handler segment shows its ColdStart annotation',
        );

        // Any recent trace opens from the list by keyboard, and closes again.
        const firstTrace = page.locator('#traces table[data-traces] tbody tr').first();
        const functions = (await firstTrace.locator('td').first().innerText()).trim();
        await firstTrace.getByRole('button', { name: /^Open trace / }).focus();
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: `Trace of ${functions}` }).waitFor();
        check(
          (await page.locator('#trace-body table.waterfall tbody tr').count()) >= 2,
          'a trace from the list shows its function segment and what ran inside it',
        );
        await page.locator('#trace-detail').getByRole('button', { name: 'Close' }).click();
        check(await page.locator('#trace-detail').isHidden(), 'the trace closes');
        const express = page.locator('table[data-machine="CallCentreStateMachine"] button').first();
        await express.click();
        await page.locator('#execution-graph svg.graph').waitFor();
        // An Express execution started through the API has its trace too: the call centre's function and its DynamoDB calls.
        await page.getByRole('link', { name: /^Open the trace of execution / }).click();
        await page
          .getByRole('heading', { name: /^Trace of (ReserveRoomFunction|CancelReservationFunction)$/ })
          .waitFor();
        const callCentreSegments = await page
          .locator('#trace-body table.waterfall tbody th[scope="row"]')
          .allInnerTexts();
        check(
          callCentreSegments.some((segment) =>
            /DynamoDB \w+ (RoomsTable|RoomNightsTable|ReservationsTable)/.test(segment),
          ),
          `the call centre execution's trace shows its DynamoDB calls (rows: ${callCentreSegments.join(' | ')})`,
        );
        await page.locator('.outbox .email').first().waitFor();
        check(
          (await page.locator('.outbox').innerText()).includes('ann.obrien@example.edu'),
          'the exam email is in the outbox',
        );
        await page.getByRole('button', { name: '+1 day' }).click();
        await page.getByText(/The clock moved forward 86,400 seconds/).waitFor();
        noErrors(tracked, '_local');
      }),
  },
];

/** Each page at desktop and phone widths: no console errors, accessible structure, nothing wider than the screen. */
export function pageChecks(): Scenario[] {
  const pages: { name: string; open(context: E2eContext, page: Page): Promise<void> }[] = [
    {
      name: 'admin',
      open: async (context, page) => {
        await page.goto(`${context.apiUrl}/admin/`);
        await signInAs(page, 'admin');
        await page.goto(`${context.apiUrl}/admin/#incident=${encodeURIComponent(context.state.incidentId!)}`);
        await page.locator('svg.graph').waitFor();
        await page.locator('#incident-table').waitFor();
      },
    },
    {
      name: 'testcentre',
      open: async (context, page) => {
        await page.goto(await freshExamLink(context));
        await page.getByRole('heading', { name: 'Questions' }).waitFor();
      },
    },
    {
      name: 'callcenter',
      open: async (context, page) => {
        await page.goto(`${context.apiUrl}/callcenter/`);
        await signInAs(page, 'agent');
        await page.getByRole('heading', { name: 'Recent reservations' }).waitFor();
      },
    },
    {
      name: '_local',
      open: async (context, page) => {
        await page.goto(`${context.apiUrl}/_local/`);
        await page.locator('.outbox .email').first().waitFor();
        await page.getByRole('button', { name: `Open execution ${context.state.incidentId}` }).click();
        await page.locator('#execution-graph svg.graph').waitFor();
        await page.getByRole('link', { name: `Open the trace of execution ${context.state.incidentId}` }).click();
        await page.locator('#trace-body table.waterfall').waitFor();
      },
    },
  ];
  return pages.flatMap((target) =>
    (Object.keys(VIEWPORTS) as ViewportName[]).map((viewport) => ({
      name: `${target.name} at ${viewport} width (${VIEWPORTS[viewport].width}px): no console errors, labelled, fits the screen`,
      run: (context: E2eContext) =>
        withPage(context, viewport, async (tracked) => {
          await target.open(context, tracked.page);
          const problems = await pageProblems(tracked.page, VIEWPORTS[viewport].width);
          check(problems.length === 0, `${target.name}: ${problems.join('; ')}`);
          noErrors(tracked, target.name);
          await screenshot(context, tracked.page, `${target.name.replace('_', '')}-${viewport}`);
        }),
    })),
  );
}
