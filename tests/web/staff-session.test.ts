/**
 * The staff pages' sign-in session (web/shared/staff-session.ts) against a stand-in for Cognito's API: the calls it
 * makes (AWS JSON 1.1 to the region's endpoint or the configured one), a first sign-in's new-password challenge and an
 * authenticator code, renewal shortly before expiry, the end of a session that cannot be renewed, and sign-out
 * revoking the refresh token. The real service is exercised by the browser tests (tests/e2e/sign-in.ts).
 */
import type { SignInConfig } from '../../web/shared/app-config';
import { cognitoEndpoint } from '../../web/shared/cognito';
import { StaffSession } from '../../web/shared/staff-session';

const CONFIG: SignInConfig = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC123', clientId: 'client-1' };
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

/** An ID token as the page reads it (the page never checks signatures: the API does). */
function idToken(expSeconds: number, groups = ['admins']): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ exp: expSeconds, 'cognito:groups': groups, token_use: 'id' })}.sig`;
}

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

interface Call {
  url: string;
  target: string;
  body: Record<string, unknown>;
}

/** Cognito's answers, one per call in order: [status, body]. */
function cognito(...answers: Array<[number, object]>): Call[] {
  const calls: Call[] = [];
  global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const headers = init?.headers as Record<string, string>;
    calls.push({ url: String(url), target: headers['X-Amz-Target'], body: JSON.parse(String(init?.body)) });
    const [status, body] = answers.shift() ?? [500, { __type: 'InternalErrorException', message: 'no answer left' }];
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  return calls;
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

test("signs in with USER_PASSWORD_AUTH at the region's endpoint and keeps who it is for the browser session", async () => {
  const calls = cognito([200, { AuthenticationResult: { IdToken: idToken(NOW / 1000 + 3600), RefreshToken: 'r-1' } }]);
  const storage = new MemoryStorage();
  expect(await new StaffSession(CONFIG, storage).signIn('ann@example.edu', 'A-good-password-1')).toBe('signed-in');
  expect(calls).toEqual([
    {
      url: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      target: 'AWSCognitoIdentityProviderService.InitiateAuth',
      body: {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'client-1',
        AuthParameters: { USERNAME: 'ann@example.edu', PASSWORD: 'A-good-password-1' },
      },
    },
  ]);
  // A new page of the same tab finds the session.
  expect(new StaffSession(CONFIG, storage).current()).toEqual({
    email: 'ann@example.edu',
    groups: ['admins'],
    expiresAt: NOW + 3_600_000,
  });
  expect(cognitoEndpoint({ ...CONFIG, endpoint: 'http://localhost:9229' })).toBe('http://localhost:9229');
});

test("a first sign-in's new password, then an authenticator code, each answered with the challenge's session", async () => {
  const calls = cognito(
    [200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's-1' }],
    [200, { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's-2' }],
    [200, { AuthenticationResult: { IdToken: idToken(NOW / 1000 + 3600), RefreshToken: 'r-1' } }],
  );
  const session = new StaffSession(CONFIG, new MemoryStorage());
  const first = await session.signIn('ann@example.edu', 'Temporary-1!');
  expect(first).toEqual({ challenge: 'NEW_PASSWORD_REQUIRED', session: 's-1' });
  const second = await session.answer(
    'ann@example.edu',
    first as { challenge: string; session: string },
    'Chosen-password-2',
  );
  expect(second).toEqual({ challenge: 'SOFTWARE_TOKEN_MFA', session: 's-2' });
  expect(await session.answer('ann@example.edu', second as { challenge: string; session: string }, '123456')).toBe(
    'signed-in',
  );
  expect(calls.slice(1).map((call) => [call.target, call.body])).toEqual([
    [
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ClientId: 'client-1',
        Session: 's-1',
        ChallengeResponses: { USERNAME: 'ann@example.edu', NEW_PASSWORD: 'Chosen-password-2' },
      },
    ],
    [
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: 'client-1',
        Session: 's-2',
        ChallengeResponses: { USERNAME: 'ann@example.edu', SOFTWARE_TOKEN_MFA_CODE: '123456' },
      },
    ],
  ]);
  expect(session.current()?.email).toBe('ann@example.edu');
});

test("a refused sign-in keeps nobody signed in and names Cognito's error", async () => {
  cognito([400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }]);
  const session = new StaffSession(CONFIG, new MemoryStorage());
  await expect(session.signIn('ann@example.edu', 'wrong')).rejects.toMatchObject({ type: 'NotAuthorizedException' });
  expect(session.current()).toBeUndefined();
});

test('the token is renewed within a minute of its expiry; a session that cannot be renewed is over', async () => {
  const exp = NOW / 1000 + 3600;
  const calls = cognito(
    [200, { AuthenticationResult: { IdToken: idToken(exp), RefreshToken: 'r-1' } }],
    [200, { AuthenticationResult: { IdToken: idToken(exp + 3600) } }],
    [400, { __type: 'NotAuthorizedException', message: 'Refresh Token has expired' }],
  );
  const session = new StaffSession(CONFIG, new MemoryStorage());
  await session.signIn('ann@example.edu', 'A-good-password-1');
  expect(await session.idToken(NOW)).toBe(idToken(exp));
  expect(calls).toHaveLength(1);
  expect(await session.idToken(NOW + 3_600_000 - 30_000)).toBe(idToken(exp + 3600));
  expect(calls[1].body).toEqual({
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: 'client-1',
    AuthParameters: { REFRESH_TOKEN: 'r-1' },
  });
  expect(await session.idToken(NOW + 7_200_000)).toBeUndefined();
  expect(session.current()).toBeUndefined();
});

test('signing out forgets the session and revokes its refresh token; a failed revocation still signs out', async () => {
  const calls = cognito(
    [200, { AuthenticationResult: { IdToken: idToken(NOW / 1000 + 3600), RefreshToken: 'r-1' } }],
    [503, { __type: 'ServiceUnavailable', message: 'down' }],
  );
  const storage = new MemoryStorage();
  const session = new StaffSession(CONFIG, storage);
  await session.signIn('ann@example.edu', 'A-good-password-1');
  await session.signOut();
  expect(calls[1]).toMatchObject({
    target: 'AWSCognitoIdentityProviderService.RevokeToken',
    body: { Token: 'r-1', ClientId: 'client-1' },
  });
  expect(session.current()).toBeUndefined();
  expect(storage.length).toBe(0);
});
