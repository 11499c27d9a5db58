/**
 * The staff pages' sign-in (contract, "Staff sign-in"): a form in the page's `#sign-in-panel` (email and password,
 * then a new password or an authenticator code when Cognito asks), who is signed in with a sign-out button, and the
 * page's tools (`#staff-tools`) shown only to a member of the group the page is for. The ID token is renewed before
 * it expires; when it cannot be (the session ended) the form comes back saying so.
 */
import type { AppConfig } from './app-config';
import { CognitoError } from './cognito';
import { byId, render } from './dom';
import { html } from './html';
import { StaffSession } from './staff-session';

export interface PageAudience {
  /** The Cognito group the page's routes admit. */
  group: 'admins' | 'agents';
  /** Who that is, in words: "university administrators". */
  people: string;
}

export interface StaffSignIn {
  /** A valid ID token, or undefined (nobody signed in, or the session just ended: the form says so). */
  idToken(): Promise<string | undefined>;
  /** The API refused the token (401): the session is over; the form comes back with `message`. */
  expired(message?: string): void;
}

const EXPIRED = 'Your session has expired. Sign in again to continue.';

const PANEL = html`<h2 id="sign-in-heading">Sign in</h2>
<p id="sign-in-notice" class="status-line" data-tone="error" role="alert" hidden></p>
<form id="sign-in-form" novalidate>
  <div class="field">
    <label for="signInEmail">Email</label>
    <input id="signInEmail" name="email" type="email" autocomplete="username" maxlength="254" required>
  </div>
  <div class="field">
    <label for="signInPassword">Password</label>
    <input id="signInPassword" name="password" type="password" autocomplete="current-password" maxlength="256" required>
  </div>
  <div class="field" id="sign-in-challenge" hidden>
    <label for="signInChallenge" id="sign-in-challenge-label"></label>
    <input id="signInChallenge" name="challenge" autocomplete="off" maxlength="256">
  </div>
  <p id="sign-in-error" class="field-error" role="alert" hidden></p>
  <button type="submit" id="sign-in-submit">Sign in</button>
</form>
<div id="signed-in" hidden>
  <p>Signed in as <strong id="signed-in-email"></strong> <span class="muted" id="signed-in-groups"></span>
  <button type="button" id="sign-out" class="link-button">Sign out</button></p>
  <p id="wrong-group" class="status-line" data-tone="error" hidden></p>
</div>`;

/**
 * What Cognito's refusal means for the person signing in. A wrong password is NotAuthorizedException in AWS;
 * cognito-local answers InvalidPasswordException, which AWS keeps for a new password its policy refuses, so that
 * type means the new password only while one is being chosen.
 */
function signInProblem(error: unknown, choosingPassword: boolean): string {
  if (!(error instanceof CognitoError)) return 'Signing in failed. Please try again.';
  switch (error.type) {
    case 'InvalidPasswordException':
      if (choosingPassword) return `The new password was not accepted: ${error.message}`;
      return 'The email or password is not right.';
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return 'The email or password is not right.';
    case 'CodeMismatchException':
      return 'The authenticator code is not right. Try the current one.';
    case 'PasswordResetRequiredException':
      return 'Your password must be reset. Ask an administrator.';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return 'Too many attempts. Wait a minute and try again.';
    default:
      return error.message;
  }
}

/** Fills `#sign-in-panel` and calls `onReady` whenever the page's tools become usable (true) or not (false). */
export function setupSignIn(config: AppConfig, audience: PageAudience, onReady: (ready: boolean) => void): StaffSignIn {
  const panel = byId('sign-in-panel');
  render(panel, PANEL);
  const tools = byId('staff-tools');
  const form = byId<HTMLFormElement>('sign-in-form');
  const error = byId('sign-in-error');
  const notice = byId('sign-in-notice');
  const challengeField = byId('sign-in-challenge');
  const challengeInput = byId<HTMLInputElement>('signInChallenge');
  const submit = byId<HTMLButtonElement>('sign-in-submit');
  if (!config.cognito) {
    form.hidden = true;
    notice.textContent = 'Sign-in is not configured for this page (config.js names no user pool).';
    notice.hidden = false;
    tools.hidden = true;
    return { idToken: async () => undefined, expired: () => undefined };
  }
  const session = new StaffSession(config.cognito, window.sessionStorage);
  let pending: { challenge: string; session: string } | undefined;
  let renewal: number | undefined;

  const show = (message?: string, tone: 'error' | 'info' = 'error'): void => {
    const signedIn = session.current();
    const allowed = signedIn?.groups.includes(audience.group) ?? false;
    form.hidden = signedIn !== undefined;
    byId('sign-in-heading').textContent = signedIn ? 'Signed in' : 'Sign in';
    byId('signed-in').hidden = signedIn === undefined;
    notice.textContent = message ?? '';
    notice.dataset.tone = tone;
    notice.hidden = !message;
    tools.hidden = !allowed;
    if (signedIn) {
      byId('signed-in-email').textContent = signedIn.email;
      byId('signed-in-groups').textContent = signedIn.groups.length ? `(${signedIn.groups.join(', ')})` : '';
      const wrong = byId('wrong-group');
      wrong.hidden = allowed;
      wrong.textContent = allowed
        ? ''
        : `This page is for ${audience.people} (group ${audience.group}). ${signedIn.email} cannot use it: sign out and sign in with such an account.`;
    }
    window.clearTimeout(renewal);
    // Renew a minute before expiry, so an idle page notices a session that ended and says so.
    if (signedIn && allowed)
      renewal = window.setTimeout(() => void idToken(), Math.max(0, signedIn.expiresAt - Date.now() - 60_000));
    // After the caller has its StaffSignIn (this runs first from setupSignIn itself).
    queueMicrotask(() => onReady(allowed));
  };

  const expired = (message = EXPIRED): void => {
    session.forget();
    show(message);
  };

  const idToken = async (): Promise<string | undefined> => {
    const wasSignedIn = session.current() !== undefined;
    const token = await session.idToken();
    if (!token && wasSignedIn) expired();
    return token;
  };

  const resetChallenge = (): void => {
    pending = undefined;
    challengeField.hidden = true;
    challengeInput.value = '';
    challengeInput.required = false;
    submit.textContent = 'Sign in';
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    const answer = challengeInput.value.trim();
    const missing = !email
      ? 'Enter your email.'
      : !password
        ? 'Enter your password.'
        : pending && !answer
          ? `Enter ${byId('sign-in-challenge-label').textContent?.toLowerCase()}.`
          : '';
    error.textContent = missing;
    error.hidden = !missing;
    if (missing) return;
    submit.disabled = true;
    void (async () => {
      try {
        const result = pending ? await session.answer(email, pending, answer) : await session.signIn(email, password);
        if (result === 'signed-in') {
          resetChallenge();
          form.reset();
          show();
          return;
        }
        pending = result;
        const newPassword = result.challenge === 'NEW_PASSWORD_REQUIRED';
        byId('sign-in-challenge-label').textContent = newPassword
          ? 'A new password'
          : 'The code from your authenticator app';
        challengeInput.type = newPassword ? 'password' : 'text';
        challengeInput.autocomplete = newPassword ? 'new-password' : 'one-time-code';
        challengeInput.required = true;
        challengeField.hidden = false;
        submit.textContent = 'Continue';
        challengeInput.focus();
      } catch (failure) {
        const choosingPassword = pending?.challenge === 'NEW_PASSWORD_REQUIRED';
        resetChallenge();
        error.textContent = signInProblem(failure, choosingPassword);
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    })();
  });

  byId('sign-out').addEventListener('click', () => {
    void session.signOut().then(() => show('You are signed out.', 'info'));
  });

  show();
  return { idToken, expired };
}
