/**
 * Staff sign-in (contract, "Staff sign-in"; docs/security.md, 3): every staff route × every kind of token, on a real
 * local cloud (the local Cognito service issuing the tokens, the API Gateway emulator verifying them as API
 * Gateway's Cognito authorizer does, the routes' own group checks):
 *
 *   no token, expired, forged signature, another pool's → 401 {"error":"Unauthorized"}, nothing behind it runs;
 *   a valid token of the other group → 403 {"error":"Forbidden"}, nothing behind it runs;
 *   a valid token of the route's group → the route's own answer.
 *
 * The expired token is one the pool itself signed (with cognito-local's key) whose exp has passed; the forged one
 * carries the same claims as a real token under another key with the same key id; the other pool's is a real token
 * of a second user pool of the same Cognito service, with the same groups. "Nothing runs": no execution of either
 * workflow starts (the Lambda-backed reads run their function, which refuses the other group before reading).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { cognitoClient } from '../../local/services/cognito';
import { signIn } from '../../local/staff-sign-in';
import { PROJECT_ROOT } from '../../local/template/load';
import { executionArns } from '../faults/support/executions';
import { newStudent } from '../system/support/incidents';
import { systemCloudOfThisFile } from '../system/support/system-cloud';
import { type StaffRole, staffIdToken } from '../support/staff-auth';

const system = systemCloudOfThisFile();

interface StaffRoute {
  method: 'GET' | 'POST';
  path: string;
  role: StaffRole;
  body?: () => unknown;
  /** What the route answers a member of its group (the request passes both checks and reaches the route). */
  admitted: number;
}

const ROUTES: StaffRoute[] = [
  { method: 'POST', path: '/incident', role: 'admin', body: newStudent, admitted: 200 },
  { method: 'GET', path: '/incidents', role: 'admin', admitted: 200 },
  { method: 'GET', path: '/incidents/no-such-incident', role: 'admin', admitted: 404 },
  { method: 'GET', path: '/incidents/no-such-incident/workflow', role: 'admin', admitted: 404 },
  { method: 'POST', path: '/incidents/no-such-incident/redrive', role: 'admin', admitted: 404 },
  // A Cancel of an unknown reservation: it runs the workflow and changes nothing.
  {
    method: 'POST',
    path: '/reservations',
    role: 'agent',
    body: () => ({ TransactionType: 'Cancel', ReservationId: 'no-such-reservation' }),
    admitted: 404,
  },
  { method: 'GET', path: '/reservations/no-such-reservation', role: 'agent', admitted: 404 },
];

type TokenKind = 'none' | 'expired' | 'forged' | 'other pool' | 'wrong group' | 'right group';
const REFUSED: Record<Exclude<TokenKind, 'right group'>, [number, string]> = {
  none: [401, 'Unauthorized'],
  expired: [401, 'Unauthorized'],
  forged: [401, 'Unauthorized'],
  'other pool': [401, 'Unauthorized'],
  'wrong group': [403, 'Forbidden'],
};

const otherRole = (role: StaffRole): StaffRole => (role === 'admin' ? 'agent' : 'admin');

/** cognito-local signs every pool's tokens with the key it ships: the expired token is signed with it. */
const poolKey = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'node_modules/cognito-local/lib/keys/cognitoLocal.private.json'), 'utf8'),
) as { jwk: JWK };

async function resign(token: string, key: CryptoKey | Awaited<ReturnType<typeof importJWK>>, claims = {}) {
  const payload = { ...decodeJwt(token), ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(key);
}

/** A real ID token of a user in `group` of a second user pool of the same Cognito service. */
async function otherPoolToken(role: StaffRole): Promise<string> {
  const { endpoint, region } = system.cloud.cognito!;
  const client = cognitoClient(system.cloud.urls.cognito, region);
  try {
    const pool = await client.send(
      new CreateUserPoolCommand({ PoolName: `other-${role}`, UsernameAttributes: ['email'] }),
    );
    const UserPoolId = pool.UserPool!.Id!;
    const app = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'other',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const group = role === 'admin' ? 'admins' : 'agents';
    const Username = `${role}@other.example`;
    const Password = 'Other-pool-password-1';
    await client.send(new CreateGroupCommand({ UserPoolId, GroupName: group }));
    await client.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS' }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent: true }));
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: group }));
    const config = { endpoint, region, userPoolId: UserPoolId, clientId: app.UserPoolClient!.ClientId! };
    return (await signIn(config, Username, Password)).IdToken;
  } finally {
    client.destroy();
  }
}

async function tokenOf(kind: TokenKind, role: StaffRole): Promise<string | undefined> {
  const target = { apiUrl: system.api.baseUrl };
  switch (kind) {
    case 'none':
      return undefined;
    case 'expired': {
      const past = Math.floor(Date.now() / 1000) - 120;
      return resign(await staffIdToken(target, role), await importJWK(poolKey.jwk, 'RS256'), { exp: past });
    }
    case 'forged': {
      const { privateKey } = await generateKeyPair('RS256');
      return resign(await staffIdToken(target, role), privateKey);
    }
    case 'other pool':
      return otherPoolToken(role);
    case 'wrong group':
      return staffIdToken(target, otherRole(role));
    case 'right group':
      return staffIdToken(target, role);
  }
}

const KINDS = Object.keys(REFUSED) as Array<keyof typeof REFUSED>;

describe.each(ROUTES.map((route) => [`${route.method} ${route.path.replace(/no-such-\w+/, '{id}')}`, route] as const))(
  '%s',
  (_name, route) => {
    test.each(KINDS)(`%s token: refused, and nothing behind it runs`, async (kind) => {
      const token = await tokenOf(kind, route.role);
      const before = await executionArns(system.sfnUrl);
      const answer = await system.api.request<{ error?: string; message?: string }>(route.method, route.path, {
        as: null,
        body: route.body?.(),
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      const [status, error] = REFUSED[kind];
      expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
      expect(typeof answer.body.message).toBe('string');
      if (kind === 'expired') expect(answer.body.message).toBe('The incoming token has expired');
      expect(await executionArns(system.sfnUrl)).toEqual(before);
    });

    test(`right group token: the route answers ${route.admitted}`, async () => {
      const token = await tokenOf('right group', route.role);
      const answer = await system.api.request(route.method, route.path, {
        as: null,
        body: route.body?.(),
        headers: { authorization: `Bearer ${token}` },
      });
      expect({ status: answer.status, text: answer.text }).toEqual({
        status: route.admitted,
        text: expect.any(String),
      });
    });
  },
);

test('the token alone in the Authorization header (without "Bearer ") is accepted too, as by API Gateway', async () => {
  const token = await staffIdToken({ apiUrl: system.api.baseUrl }, 'admin');
  const answer = await system.api.request('GET', '/incidents', { as: null, headers: { authorization: token } });
  expect(answer.status).toBe(200);
});

test('an access token of the right user is refused: the routes take ID tokens', async () => {
  const config = system.cloud.cognito!;
  const { AccessToken } = await signIn(config, 'admin@example.com', 'Local-dev-password-1');
  const answer = await system.api.get<{ error: string }>('/incidents', {
    as: null,
    headers: { authorization: `Bearer ${AccessToken}` },
  });
  expect([answer.status, answer.body.error]).toEqual([401, 'Unauthorized']);
});

test('GET /_local/cognito names the pool and client the tokens come from', async () => {
  const answer = await system.api.get<Record<string, string>>('/_local/cognito', { as: null });
  expect(answer.body).toEqual({
    endpoint: system.cloud.urls.cognito,
    region: system.cloud.region,
    userPoolId: expect.stringMatching(/^\S+_\w+$/),
    clientId: expect.any(String),
  });
  const claims = decodeJwt(await staffIdToken({ apiUrl: system.api.baseUrl }, 'agent'));
  expect(claims).toMatchObject({
    iss: `${answer.body.endpoint}/${answer.body.userPoolId}`,
    aud: answer.body.clientId,
    token_use: 'id',
    'cognito:groups': ['agents'],
    email: 'agent@example.com',
  });
});

test('the Cognito service stopped and started again (same port, same data): the pool, its users and the tokens issued before all hold', async () => {
  const before = await staffIdToken({ apiUrl: system.api.baseUrl }, 'admin');
  const pool = system.cloud.cognito!;
  const read = () => system.api.get('/incidents', { as: null, headers: { authorization: `Bearer ${before}` } });
  expect((await read()).status).toBe(200);
  await system.cloud.services.cognito.stop();
  // Tokens are verified against the JWKS the gateway has read: a running session does not need Cognito.
  expect((await read()).status).toBe(200);
  await system.cloud.services.cognito.start();
  const again = await signIn(pool, 'agent@example.com', 'Local-dev-password-1');
  expect(decodeJwt(again.IdToken).iss).toBe(`${pool.endpoint}/${pool.userPoolId}`);
  expect((await read()).status).toBe(200);
});
