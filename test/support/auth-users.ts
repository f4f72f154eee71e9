import { randomUUID } from 'node:crypto';
import { refreshIdToken, signUp } from '../../local/auth/rest-client';
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

/**
 * Signs a new user up through the Auth emulator's identitytoolkit REST API, the way the Firebase client SDK
 * does on a phone. Each call gets a new email unless one is given.
 */
export async function createSignedInUser(options: SignedInUserOptions = {}): Promise<SignedInUser> {
  const email = options.email ?? `user-${randomUUID()}@example.com`;
  const password = options.password ?? 'correct-horse-battery-staple';
  const { authAddress } = localCloudEnvironment();
  const session = await signUp(authAddress, email, password);
  let refreshToken = session.refreshToken;
  return {
    uid: session.uid,
    email,
    password,
    idToken: session.idToken,
    refresh: async () => {
      const refreshed = await refreshIdToken(authAddress, refreshToken);
      refreshToken = refreshed.refreshToken;
      return refreshed.idToken;
    },
  };
}
