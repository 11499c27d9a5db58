/**
 * The emulator's COGNITO_USER_POOLS authorizer (local/apigw/cognito-authorizer.ts) on its own: what it refuses and
 * why, and the claims it hands on as API Gateway does (strings; lists comma-separated; exp and iat as Java dates).
 * The whole path through a real local cloud and Cognito service: tests/security/staff-sign-in.test.ts.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { CognitoAuthorizer, userPoolIdOfArn } from '../../local/apigw/cognito-authorizer';
import { startTestUserPool, type TestUserPool } from './support/test-user-pool';

let staff: TestUserPool;
let authorizer: CognitoAuthorizer;
beforeAll(async () => {
  staff = await startTestUserPool();
  authorizer = new CognitoAuthorizer([staff.pool]);
});
afterAll(() => staff.stop());

const POOLS = ['StaffUserPool'];

/** A token of the test pool's issuer with these claims, signed with `key` (a stranger's unless given). */
async function token(claims: Record<string, unknown>, key?: CryptoKey): Promise<string> {
  const signingKey = key ?? (await generateKeyPair('RS256')).privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test' }).sign(signingKey);
}

test('a valid ID token, with or without "Bearer ", hands its claims on as strings', async () => {
  const idToken = await staff.idToken(['admins', 'agents']);
  for (const header of [`Bearer ${idToken}`, idToken, `bearer  ${idToken}`]) {
    const verdict = await authorizer.verify(header, POOLS);
    expect(verdict).toEqual({
      claims: expect.objectContaining({
        'cognito:groups': 'admins,agents',
        email: 'staff@example.com',
        token_use: 'id',
        aud: 'test-client',
        iss: staff.pool.issuer,
        exp: expect.stringMatching(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/),
      }),
    });
  }
});

test.each<[string, () => Promise<string | undefined>, RegExp]>([
  ['no header', async () => undefined, /no Authorization header/],
  ['an empty header', async () => '  ', /no Authorization header/],
  ['not a JWT', async () => 'Bearer not-a-token', /not a JWT/],
  ['another issuer', async () => token({ iss: 'http://localhost:1/other', token_use: 'id' }), /issued by/],
  ['an expired token of the pool', () => staff.idTokenWith({ exp: Math.floor(Date.now() / 1000) - 1 }), /has expired/],
  ['an access token of the pool', () => staff.idTokenWith({ token_use: 'access' }), /not an ID token/],
  ['an ID token of another app client', () => staff.idTokenWith({ aud: 'other-client' }), /no app client/],
  [
    'a forged signature',
    async () => token({ iss: staff.pool.issuer, token_use: 'id', aud: 'test-client', exp: 4e9 }),
    /not valid/,
  ],
])('%s is refused', async (_case, header, reason) => {
  const verdict = await authorizer.verify(await header(), POOLS);
  // Only an expired token says so (API Gateway's "The incoming token has expired"); the rest are "Unauthorized".
  const expired = reason.source === 'has expired' ? { expired: true } : {};
  expect(verdict).toEqual({ refused: expect.stringMatching(reason), ...expired });
});

test('an authorizer naming a pool the local cloud does not hold refuses every token', async () => {
  expect(await authorizer.verify(await staff.idToken(['admins']), ['OtherPool'])).toEqual({
    refused: expect.stringMatching(/no local user pool/),
  });
});

test('the ARN of a user pool names it by the id at its end; anything else names none', () => {
  expect(userPoolIdOfArn('arn:aws:cognito-idp:us-east-1:123456789012:userpool/StaffUserPool')).toBe('StaffUserPool');
  expect(userPoolIdOfArn('arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123')).toBe(
    'eu-west-1_AbC123',
  );
  expect(userPoolIdOfArn('arn:aws:lambda:us-east-1:123456789012:function:F')).toBeUndefined();
});
