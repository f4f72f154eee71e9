import { randomUUID } from 'node:crypto';
import { refreshIdToken, signInWithPassword, signUp, type AuthSession } from '../../local/auth/rest-client';
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
  return signedInUser(email, password, await signUp(localCloudEnvironment().authAddress, email, password));
}

/**
 * Signs the user in again with their password, as after their sessions were revoked: a new ID token and a
 * new refresh token.
 */
export async function signInAgain(user: SignedInUser): Promise<SignedInUser> {
  const { authAddress } = localCloudEnvironment();
  return signedInUser(
    user.email,
    user.password,
    await signInWithPassword(authAddress, user.email, user.password),
  );
}

function signedInUser(email: string, password: string, session: AuthSession): SignedInUser {
  const { authAddress } = localCloudEnvironment();
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
