/**
 * Staff sign-in in the browser (contract, "Staff sign-in"): the helper every scenario signs in with, and the sign-in
 * scenarios of the admin and call-centre pages at desktop and phone width: each page opens on its sign-in form,
 * a wrong password is said plainly, a member of the other group is told the page is not theirs and sees none of its
 * tools, the right one gets them and can sign out, and an expired session brings the form back saying so.
 */
import type { Page } from 'playwright-core';
import { LOCAL_STAFF, type StaffRole } from '../../local/staff-sign-in';
import { openPage, VIEWPORTS, type ViewportName } from './browser';
import { check, pageProblems } from './checks';
import type { E2eContext, Scenario } from './scenarios';

const PASSWORD = process.env.LOCAL_STAFF_PASSWORD || 'Local-dev-password-1';

/** Signs in on the page in front of it as the local admin or agent, as a person would. */
export async function signInAs(page: Page, role: StaffRole, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(LOCAL_STAFF[role].email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (password === PASSWORD) await page.getByText(`Signed in as ${LOCAL_STAFF[role].email}`).waitFor();
}

interface StaffPage {
  path: string;
  /** Who the page is for, and who it is not for. */
  role: StaffRole;
  other: StaffRole;
  /** A heading only the page's tools have. */
  toolsHeading: string;
  notForOther: RegExp;
}

const PAGES: StaffPage[] = [
  {
    path: '/admin/',
    role: 'admin',
    other: 'agent',
    toolsHeading: 'Register an incident',
    notForOther: /This page is for university administrators \(group admins\)/,
  },
  {
    path: '/callcenter/',
    role: 'agent',
    other: 'admin',
    toolsHeading: 'Reserve a room',
    notForOther: /This page is for call-centre agents \(group agents\)/,
  },
];

async function toolsVisible(page: Page, heading: string): Promise<boolean> {
  return page.getByRole('heading', { name: heading }).isVisible();
}

/** A session as the page keeps it, whose ID token expired and whose refresh token Cognito will not take. */
function expiredSession(email: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) - 60;
  const idToken = `${part({ alg: 'RS256' })}.${part({ exp, 'cognito:groups': ['admins', 'agents'], token_use: 'id' })}.x`;
  return JSON.stringify({ idToken, refreshToken: 'revoked-refresh-token', email });
}

export function signInScenarios(): Scenario[] {
  return PAGES.flatMap((target) =>
    (Object.keys(VIEWPORTS) as ViewportName[]).map((viewport) => ({
      name: `sign-in on ${target.path} at ${viewport} width: the form first, a wrong password, the other group refused, the ${target.role} in and out, an expired session`,
      run: async (context: E2eContext) => {
        const tracked = await openPage(context.browser, viewport);
        const { page } = tracked;
        try {
          await page.goto(`${context.apiUrl}${target.path}`);
          await page.getByRole('heading', { name: 'Sign in' }).waitFor();
          check(!(await toolsVisible(page, target.toolsHeading)), `${target.path}: tools shown before sign-in`);
          const problems = await pageProblems(page, VIEWPORTS[viewport].width);
          check(problems.length === 0, `${target.path} sign-in form: ${problems.join('; ')}`);

          await signInAs(page, target.role, 'Not-the-password-1');
          await page.getByText('The email or password is not right.').waitFor();

          await signInAs(page, target.other);
          await page.getByText(target.notForOther).waitFor();
          check(!(await toolsVisible(page, target.toolsHeading)), `${target.path}: tools shown to the ${target.other}`);
          await page.getByRole('button', { name: 'Sign out' }).click();
          await page.getByText('You are signed out.').waitFor();

          await signInAs(page, target.role);
          await page.getByRole('heading', { name: target.toolsHeading }).waitFor();
          await page.getByRole('button', { name: 'Sign out' }).click();
          await page.getByText('You are signed out.').waitFor();
          check(!(await toolsVisible(page, target.toolsHeading)), `${target.path}: tools still shown after sign-out`);

          await page.evaluate(
            (session) => sessionStorage.setItem('staffSession', session),
            expiredSession(LOCAL_STAFF[target.role].email),
          );
          await page.reload();
          await page.getByText('Your session has expired. Sign in again to continue.').waitFor();
          check(
            !(await toolsVisible(page, target.toolsHeading)),
            `${target.path}: tools shown after the session expired`,
          );
          // No console check here: the browser logs each refusal this scenario provokes (a wrong password, a dead
          // refresh token) as a failed resource load. pageChecks() holds the signed-in pages to no console errors.
        } finally {
          await tracked.close();
        }
      },
    })),
  );
}
