/**
 * API Gateway's COGNITO_USER_POOLS authorizer, locally: a method whose security names a scheme with
 * `x-amazon-apigateway-authorizer: {type: cognito_user_pools}` takes a request only with a valid token of one of
 * the authorizer's user pools in its identity source header (Authorization); otherwise API Gateway answers the
 * UNAUTHORIZED gateway response (401 "Unauthorized", or "The incoming token has expired"), and the integration
 * never runs. A valid token's claims reach the integration as `$context.authorizer.claims` (mapping templates) and
 * `requestContext.authorizer.claims` (Lambda proxy events), every value a string.
 *
 * What is checked, as AWS does for an ID token (Amazon Cognito Developer Guide, "Verifying a JSON Web Token"; API
 * Gateway Developer Guide, "Control access to REST APIs using Amazon Cognito user pools as an authorizer"), with
 * jose (RFC 7515/7519): the RS256 signature against the pool's JWKS (the key its `kid` names), `iss` = the pool,
 * `exp` in the future (real time: tokens are issued on real time, whatever the engine's clock says), `token_use` =
 * id and `aud` = an app client of the pool. Without OAuth scopes on the method API Gateway wants an ID token; an
 * access token is refused. The header may carry the token alone or after "Bearer " (both are accepted by AWS:
 * amazon-archives/amazon-cognito-identity-js#165, aws-amplify/amplify-js#833). Sources and the rest in
 * docs/security.md, 3.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';

/** A user pool the local cloud serves, as an authorizer names it (by the logical id at the end of its ARN). */
export interface LocalUserPool {
  logicalId: string;
  /** `<endpoint>/<poolId>`: the `iss` of its tokens, and where its JWKS is (`/.well-known/jwks.json`). */
  issuer: string;
  /** Its app clients: an ID token's `aud`. */
  clientIds: string[];
  /** Its JWKS on the loopback address the service listens on. */
  jwksUrl: string;
}

/** The claims API Gateway hands on: each value a string (numbers and booleans as text, lists joined by commas, exp and iat as dates). */
export type Claims = Record<string, string>;

export type Verdict = { claims: Claims } | { refused: string; expired?: true };

/** The ARN's resource part: `arn:aws:cognito-idp:<region>:<account>:userpool/<id>` → `<id>`. */
export function userPoolIdOfArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:cognito-idp:[\w-]+:\d+:userpool\/([\w-]+)$/.exec(arn)?.[1];
}

function claimText(value: unknown): string {
  if (Array.isArray(value)) return value.map(claimText).join(',');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `exp` and `iat` as API Gateway hands them on: Java's Date.toString() in UTC, "Fri Jul 29 18:52:53 UTC 2016" (the
 * claims a REST API's Cognito authorizer passed in amazon-archives/amazon-cognito-identity-js#92, where auth_time stays
 * the number). Written out here: no library formats dates the Java way.
 */
function javaDateText(seconds: number): string {
  const date = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/** The claims as API Gateway hands them on, every value a string. */
function claimsOf(payload: JWTPayload): Claims {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      (name === 'exp' || name === 'iat') && typeof value === 'number' ? javaDateText(value) : claimText(value),
    ]),
  );
}

export class CognitoAuthorizer {
  private readonly keySets = new Map<string, ReturnType<typeof createLocalJWKSet>>();

  constructor(private readonly pools: readonly LocalUserPool[]) {}

  /** Checks the identity source header's value against the pools the authorizer names (their logical ids). */
  async verify(headerValue: string | undefined, poolIds: readonly string[]): Promise<Verdict> {
    if (headerValue === undefined || headerValue.trim() === '') return { refused: 'no Authorization header' };
    const token = headerValue.replace(/^Bearer\s+/i, '').trim();
    const pools = this.pools.filter((pool) => poolIds.includes(pool.logicalId));
    if (pools.length === 0) return { refused: `no local user pool for the authorizer (${poolIds.join(', ')})` };
    let issuer: unknown;
    try {
      issuer = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
    } catch {
      return { refused: 'the token is not a JWT' };
    }
    const pool = pools.find((candidate) => candidate.issuer === issuer);
    if (!pool) return { refused: `the token was issued by ${String(issuer)}, not by the authorizer's user pool` };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(pool), {
        issuer: pool.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'token_use'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { refused: 'the token has expired', expired: true };
      return { refused: `the token is not valid: ${(error as Error).message}` };
    }
    if (payload.token_use !== 'id')
      return { refused: `the token is an ${String(payload.token_use)} token, not an ID token` };
    const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audience.some((client) => typeof client === 'string' && pool.clientIds.includes(client)))
      return { refused: 'the token was issued to no app client of the user pool' };
    return { claims: claimsOf(payload) };
  }

  /** The pool's JWKS, fetched once: cognito-local signs with one key for good. */
  private async keySet(pool: LocalUserPool): Promise<ReturnType<typeof createLocalJWKSet>> {
    const known = this.keySets.get(pool.issuer);
    if (known) return known;
    const response = await fetch(pool.jwksUrl, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`the user pool's JWKS answered ${response.status}`);
    const keySet = createLocalJWKSet((await response.json()) as JSONWebKeySet);
    this.keySets.set(pool.issuer, keySet);
    return keySet;
  }
}
