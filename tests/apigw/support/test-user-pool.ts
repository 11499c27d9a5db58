/**
 * A stand-in for the staff user pool in the API Gateway emulator's own tests, which run the gateway without the
 * local cloud: a key pair of the test's own (jose), its JWKS served on a free loopback port, and ID tokens signed with
 * it for a user in the groups a test asks for. The gateway verifies them exactly as it verifies the local Cognito
 * service's tokens (local/apigw/cognito-authorizer.ts); tests/security/staff-sign-in.test.ts does that with real ones.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { LocalUserPool } from '../../../local/apigw/cognito-authorizer';

export interface TestUserPool {
  /** What the gateway is given (startApiGateway's userPools): the template's StaffUserPool. */
  pool: LocalUserPool;
  /** An ID token of a user in `groups`, valid for an hour. */
  idToken(groups: string[]): Promise<string>;
  /** An ID token of the pool's with some claims replaced (an expired one, an access token, another client's). */
  idTokenWith(claims: Record<string, unknown>): Promise<string>;
  /** The Authorization header of a member of `group`. */
  authorization(group: 'admins' | 'agents'): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

const CLIENT_ID = 'test-client';

export async function startTestUserPool(logicalId = 'StaffUserPool'): Promise<TestUserPool> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'RS256', use: 'sig' }] });
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}/local_test`;
  const idTokenWith = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const defaults = { iss: issuer, aud: CLIENT_ID, sub: 'test-user', iat: now, exp: now + 3600, token_use: 'id' };
    return new SignJWT({ ...defaults, email: 'staff@example.com', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test' })
      .sign(privateKey);
  };
  const idToken = (groups: string[]) => idTokenWith({ 'cognito:groups': groups });
  return {
    pool: { logicalId, issuer, clientIds: [CLIENT_ID], jwksUrl: `http://127.0.0.1:${port}/jwks.json` },
    idToken,
    idTokenWith,
    authorization: async (group) => ({ authorization: `Bearer ${await idToken([group])}` }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
