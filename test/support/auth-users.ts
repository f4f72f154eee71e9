import { randomUUID } from 'node:crypto';
import { localCloudEnvironment } from './environment';

/** A user signed in to the Auth emulator, as a mobile app holds it. */
export interface SignedInUser {
  readonly uid: string;
  readonly email: string;
  readonly password: string;
  /** The ID token from sign-up; it carries no custom claims. */
  readonly idToken: string;
  /** Exchanges the refresh token for a fresh ID token, which carries the custom claims set since. */
  refresh(): Promise<string>;
}

/** Options of {@link createSignedInUser}; a unique email and a fixed password by default. */
export interface SignedInUserOptions {
  email?: string;
  password?: string;
}

interface SignUpResponse {
  localId: string;
  idToken: string;
  refreshToken: string;
}

interface RefreshResponse {
  id_token: string;
  refresh_token: string;
}

/**
 * Signs a new user up through the Auth emulator's identitytoolkit REST API, the way the Firebase client SDK
 * does on a phone. Each call gets a new email unless one is given.
 */
export async function createSignedInUser(options: SignedInUserOptions = {}): Promise<SignedInUser> {
  const email = options.email ?? `user-${randomUUID()}@example.com`;
  const password = options.password ?? 'correct-horse-battery-staple';
  const signUp = await postJson<SignUpResponse>('identitytoolkit.googleapis.com/v1/accounts:signUp', {
    email,
    password,
    returnSecureToken: true,
  });
  return session(email, password, signUp);
}

/**
 * Signs the user in again with their password, as after their sessions were revoked: a new ID token and a
 * new refresh token.
 */
export async function signInAgain(user: SignedInUser): Promise<SignedInUser> {
  const signIn = await postJson<SignUpResponse>(
    'identitytoolkit.googleapis.com/v1/accounts:signInWithPassword',
    {
      email: user.email,
      password: user.password,
      returnSecureToken: true,
    },
  );
  return session(user.email, user.password, signIn);
}

function session(email: string, password: string, tokens: SignUpResponse): SignedInUser {
  let refreshToken = tokens.refreshToken;
  return {
    uid: tokens.localId,
    email,
    password,
    idToken: tokens.idToken,
    refresh: async () => {
      const refreshed = await postJson<RefreshResponse>('securetoken.googleapis.com/v1/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      refreshToken = refreshed.refresh_token;
      return refreshed.id_token;
    },
  };
}

async function postJson<TResponse>(path: string, body: unknown): Promise<TResponse> {
  const url = `http://${localCloudEnvironment().authAddress}/${path}?key=any-api-key`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`Auth emulator ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as TResponse;
}
