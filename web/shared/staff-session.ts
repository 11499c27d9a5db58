/**
 * A member of staff's sign-in, kept for the browser session (sessionStorage: gone when the tab closes, never on
 * disk): the ID token the API takes, the refresh token that renews it before it expires (an hour, template.yaml),
 * and who it is. When renewing fails (the refresh token expired or was revoked) the session is over.
 */
import type { SignInConfig } from './app-config';
import {
  type AuthAnswer,
  answerChallenge,
  refreshTokens,
  revokeRefreshToken,
  signInWithPassword,
  tokenClaims,
  type Tokens,
} from './cognito';

interface Stored {
  idToken: string;
  refreshToken: string;
  email: string;
}

export interface SignedIn {
  email: string;
  groups: string[];
  /** When the ID token expires (epoch ms). */
  expiresAt: number;
}

/** A token this close to its expiry is renewed before it is sent, so it cannot expire on the way. */
const RENEW_MARGIN_MS = 60_000;
const STORAGE_KEY = 'staffSession';

export class StaffSession {
  private stored: Stored | undefined;

  constructor(
    private readonly config: SignInConfig,
    private readonly storage: Storage | undefined,
  ) {
    this.stored = this.load();
  }

  /** Who is signed in, or undefined. */
  current(): SignedIn | undefined {
    if (!this.stored) return undefined;
    const claims = tokenClaims(this.stored.idToken);
    const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [];
    return { email: this.stored.email, groups, expiresAt: Number(claims.exp ?? 0) * 1000 };
  }

  /** Signs in; answers 'signed-in' or a challenge the page must ask the user about. */
  async signIn(email: string, password: string): Promise<'signed-in' | { challenge: string; session: string }> {
    return this.settle(email, await signInWithPassword(this.config, email, password));
  }

  async answer(
    email: string,
    challenge: { challenge: string; session: string },
    value: string,
  ): Promise<'signed-in' | { challenge: string; session: string }> {
    return this.settle(email, await answerChallenge(this.config, challenge.challenge, challenge.session, email, value));
  }

  /**
   * An ID token valid for at least a minute, renewed if need be; undefined when nobody is signed in or the session
   * could not be renewed (then it is over: the caller says so and asks to sign in again).
   */
  async idToken(now = Date.now()): Promise<string | undefined> {
    const signedIn = this.current();
    if (!this.stored || !signedIn) return undefined;
    if (signedIn.expiresAt - now > RENEW_MARGIN_MS) return this.stored.idToken;
    try {
      const tokens = await refreshTokens(this.config, this.stored.refreshToken);
      this.save({ ...this.stored, idToken: tokens.IdToken });
      return tokens.IdToken;
    } catch {
      this.save(undefined);
      return undefined;
    }
  }

  /** Ends the session here and at Cognito (its refresh token revoked; a failure there still signs out here). */
  async signOut(): Promise<void> {
    const stored = this.stored;
    this.save(undefined);
    if (stored) await revokeRefreshToken(this.config, stored.refreshToken).catch(() => undefined);
  }

  /** Forgets the session without telling Cognito: the API refused its token (expired, revoked). */
  forget(): void {
    this.save(undefined);
  }

  private settle(email: string, answer: AuthAnswer): 'signed-in' | { challenge: string; session: string } {
    if ('challenge' in answer) return answer;
    this.save({ idToken: answer.tokens.IdToken, refreshToken: (answer.tokens as Tokens).RefreshToken ?? '', email });
    return 'signed-in';
  }

  private load(): Stored | undefined {
    try {
      const text = this.storage?.getItem(STORAGE_KEY);
      const value = text ? (JSON.parse(text) as Partial<Stored>) : undefined;
      return value?.idToken && value.refreshToken && value.email ? (value as Stored) : undefined;
    } catch {
      return undefined; // storage disabled or damaged: sign in again
    }
  }

  private save(value: Stored | undefined): void {
    this.stored = value;
    try {
      if (value) this.storage?.setItem(STORAGE_KEY, JSON.stringify(value));
      else this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // storage disabled: the session lives only as long as this page
    }
  }
}
