/**
 * Signing in as the local staff (contract, "Staff sign-in"): what `npm run token` and the tests do to get an ID token
 * for a role from a running local cloud. The local cloud names its user pool and app client at GET /_local/cognito;
 * the token comes from the local Cognito service's InitiateAuth (USER_PASSWORD_AUTH), as the pages get theirs.
 */
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { SignInConfig } from '../web/shared/app-config';
import { DEFAULT_STAFF_PASSWORD } from './cloud';
import { cognitoClient } from './services/cognito';

export type StaffRole = 'admin' | 'agent';

/** The local member of staff of each role, and the group the role's routes admit. */
export const LOCAL_STAFF: Readonly<Record<StaffRole, { email: string; group: string }>> = {
  admin: { email: 'admin@example.com', group: 'admins' },
  agent: { email: 'agent@example.com', group: 'agents' },
};

/** What GET <apiUrl>/_local/cognito answers: where the local staff sign in. */
export async function localSignInConfig(apiUrl: string): Promise<Required<SignInConfig>> {
  const response = await fetch(`${apiUrl}/_local/cognito`);
  if (!response.ok)
    throw new Error(`GET ${apiUrl}/_local/cognito answered ${response.status}: is the local cloud running there?`);
  return (await response.json()) as Required<SignInConfig>;
}

/** The tokens InitiateAuth (USER_PASSWORD_AUTH) answers for `username`. */
export async function signIn(
  config: Required<SignInConfig>,
  username: string,
  password: string,
): Promise<{ IdToken: string; AccessToken: string; RefreshToken: string }> {
  const client = cognitoClient(config.endpoint, config.region);
  try {
    const answer = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: config.clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    const tokens = answer.AuthenticationResult;
    if (!tokens?.IdToken || !tokens.AccessToken || !tokens.RefreshToken)
      throw new Error(`InitiateAuth for ${username} answered a challenge (${answer.ChallengeName}), not tokens`);
    return { IdToken: tokens.IdToken, AccessToken: tokens.AccessToken, RefreshToken: tokens.RefreshToken };
  } finally {
    client.destroy();
  }
}

/** An ID token of `role`'s local member of staff, from the local cloud at `apiUrl`. */
export async function localStaffIdToken(
  apiUrl: string,
  role: StaffRole,
  password = process.env.LOCAL_STAFF_PASSWORD || DEFAULT_STAFF_PASSWORD,
): Promise<string> {
  const config = await localSignInConfig(apiUrl);
  return (await signIn(config, LOCAL_STAFF[role].email, password)).IdToken;
}
