import { httpRequest } from '../stripe/http-client';

/**
 * The Auth emulator's REST API as the Firebase client SDKs use it on a phone (identitytoolkit sign-up and
 * password sign-in, securetoken refresh): for the demo and the tests, which sign users in over HTTP.
 */

/** The tokens of a signed-in account. */
export interface AuthSession {
  readonly uid: string;
  readonly idToken: string;
  readonly refreshToken: string;
}

/** An error answer of the Auth REST API; `code` is Firebase's message, such as `EMAIL_EXISTS`. */
export class AuthRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    path: string,
  ) {
    super(`Auth emulator ${path} answered ${status}: ${code}`);
  }
}

interface SignInAnswer {
  localId: string;
  idToken: string;
  refreshToken: string;
}

interface RefreshAnswer {
  user_id: string;
  id_token: string;
  refresh_token: string;
}

/** `accounts:signUp`: a new email/password account; throws {@link AuthRestError} `EMAIL_EXISTS` if taken. */
export async function signUp(authAddress: string, email: string, password: string): Promise<AuthSession> {
  const answer = await post<SignInAnswer>(authAddress, 'identitytoolkit.googleapis.com/v1/accounts:signUp', {
    email,
    password,
    returnSecureToken: true,
  });
  return { uid: answer.localId, idToken: answer.idToken, refreshToken: answer.refreshToken };
}

/** `accounts:signInWithPassword`: signs an existing account in. */
export async function signInWithPassword(
  authAddress: string,
  email: string,
  password: string,
): Promise<AuthSession> {
  const answer = await post<SignInAnswer>(
    authAddress,
    'identitytoolkit.googleapis.com/v1/accounts:signInWithPassword',
    { email, password, returnSecureToken: true },
  );
  return { uid: answer.localId, idToken: answer.idToken, refreshToken: answer.refreshToken };
}

/** `securetoken` refresh: a fresh ID token, which carries the custom claims set since the last one. */
export async function refreshIdToken(authAddress: string, refreshToken: string): Promise<AuthSession> {
  const answer = await post<RefreshAnswer>(authAddress, 'securetoken.googleapis.com/v1/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  });
  return { uid: answer.user_id, idToken: answer.id_token, refreshToken: answer.refresh_token };
}

async function post<TAnswer>(authAddress: string, path: string, body: unknown): Promise<TAnswer> {
  // A connection per call: a pooled keep-alive connection that the emulator closes while idle fails the
  // next call that picks it up ("other side closed"). The emulator accepts any API key; the SDKs send one.
  const answer = await httpRequest(`http://${authAddress}/${path}?key=any-api-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status !== 200) {
    const code = (JSON.parse(answer.body) as { error?: { message?: string } }).error?.message ?? answer.body;
    throw new AuthRestError(answer.status, code, path);
  }
  return JSON.parse(answer.body) as TAnswer;
}
