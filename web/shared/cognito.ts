/**
 * The few Cognito user pools calls the staff pages make, straight to Cognito's API (AWS JSON 1.1 over fetch, as the
 * AWS SDK would send them; no SDK in the page: these calls need no signature, and the SDK would add ~100 KB).
 * InitiateAuth with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, RespondToAuthChallenge for a first sign-in's new
 * password and an authenticator code, and RevokeToken at sign-out: template.yaml's app client allows exactly these.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 */
import type { SignInConfig } from './app-config';

export class CognitoError extends Error {
  override name = 'CognitoError';
  constructor(
    /** Cognito's error type (NotAuthorizedException, ...), or NetworkError when it could not be reached. */
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Tokens {
  IdToken: string;
  /** Absent from a refresh's answer: the refresh token stays the same. */
  RefreshToken?: string;
}

/** Either tokens, or a challenge to answer (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA) with its session. */
export type AuthAnswer = { tokens: Tokens } | { challenge: string; session: string };

/** Cognito's endpoint: the configured one (the local service), else the region's own. */
export function cognitoEndpoint(config: SignInConfig): string {
  return config.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`;
}

async function call(config: SignInConfig, action: string, body: object): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(cognitoEndpoint(config), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new CognitoError('NetworkError', 'The sign-in service could not be reached. Check your connection.');
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    // __type may carry a namespace ("...#NotAuthorizedException").
    const type = String(answer.__type ?? answer.code ?? `Http${response.status}`)
      .split('#')
      .pop()!;
    throw new CognitoError(type, String(answer.message ?? answer.Message ?? 'Sign-in failed.'));
  }
  return answer;
}

function authAnswer(answer: Record<string, unknown>): AuthAnswer {
  const result = answer.AuthenticationResult as { IdToken?: string; RefreshToken?: string } | undefined;
  if (result?.IdToken) return { tokens: { IdToken: result.IdToken, RefreshToken: result.RefreshToken } };
  if (typeof answer.ChallengeName === 'string')
    return { challenge: answer.ChallengeName, session: String(answer.Session ?? '') };
  throw new CognitoError('InvalidResponse', 'The sign-in service sent an answer this page cannot read.');
}

export async function signInWithPassword(config: SignInConfig, email: string, password: string): Promise<AuthAnswer> {
  return authAnswer(
    await call(config, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

/** Answers a challenge: the new password (NEW_PASSWORD_REQUIRED) or the authenticator's code (SOFTWARE_TOKEN_MFA). */
export async function answerChallenge(
  config: SignInConfig,
  challenge: string,
  session: string,
  email: string,
  answer: string,
): Promise<AuthAnswer> {
  const field = challenge === 'NEW_PASSWORD_REQUIRED' ? 'NEW_PASSWORD' : 'SOFTWARE_TOKEN_MFA_CODE';
  return authAnswer(
    await call(config, 'RespondToAuthChallenge', {
      ChallengeName: challenge,
      ClientId: config.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: email, [field]: answer },
    }),
  );
}

export async function refreshTokens(config: SignInConfig, refreshToken: string): Promise<Tokens> {
  const answer = authAnswer(
    await call(config, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: config.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  );
  if (!('tokens' in answer)) throw new CognitoError('NotAuthorizedException', 'The session cannot be renewed.');
  return answer.tokens;
}

/** Ends the refresh token (and the ID tokens issued with it) at Cognito: sign-out holds even if a token was copied. */
export async function revokeRefreshToken(config: SignInConfig, refreshToken: string): Promise<void> {
  await call(config, 'RevokeToken', { Token: refreshToken, ClientId: config.clientId });
}

/** The claims of a JWT, read without checking it (the API checks it; the page only shows who and until when). */
export function tokenClaims(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
