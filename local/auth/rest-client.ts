import { httpRequest } from '../stripe/http-client';

/**
 * The Auth emulator's REST API as the Firebase client SDKs use it on a phone (identitytoolkit sign-up,
 * password sign-in and email verification, securetoken refresh): for the demo and the tests, which sign users
 * in over HTTP. The emulator sends no mail; its own endpoint lists the codes a mail would carry.
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

/**
 * `accounts:signUp`: a new email/password account; throws {@link AuthRestError} `EMAIL_EXISTS` if taken.
 * The session returned is a password sign-in made right after: the Auth emulator stamps a new account's
 * `lastLoginAt` (its tokens' `auth_time`) before its `validSince`, each in whole seconds, so when a second
 * boundary falls between the two, the Admin SDK's revocation check refuses every token of the sign-up
 * session as revoked (firebase-tools' `signUp`). A sign-in stamps `lastLoginAt` after `validSince`.
 */
export async function signUp(authAddress: string, email: string, password: string): Promise<AuthSession> {
  await post<SignInAnswer>(authAddress, 'identitytoolkit.googleapis.com/v1/accounts:signUp', {
    email,
    password,
    returnSecureToken: true,
  });
  return signInWithPassword(authAddress, email, password);
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

/** `accounts:sendOobCode` with `VERIFY_EMAIL`: the verification mail the app asks for after sign-up. */
export async function sendEmailVerification(authAddress: string, idToken: string): Promise<void> {
  await post(authAddress, 'identitytoolkit.googleapis.com/v1/accounts:sendOobCode', {
    requestType: 'VERIFY_EMAIL',
    idToken,
  });
}

interface OobCodesAnswer {
  oobCodes?: { email: string; oobCode: string; requestType: string }[];
}

/**
 * The code of the latest verification mail to `email`, from the emulator's
 * `GET /emulator/v1/projects/{projectId}/oobCodes` (what the link in the mail would carry); throws if none.
 */
export async function emailVerificationCode(
  authAddress: string,
  projectId: string,
  email: string,
): Promise<string> {
  const path = `emulator/v1/projects/${projectId}/oobCodes`;
  const { oobCodes = [] } = await call<OobCodesAnswer>(authAddress, path, 'GET');
  const code = oobCodes
    .filter((oob) => oob.requestType === 'VERIFY_EMAIL' && oob.email === email.toLowerCase())
    .at(-1)?.oobCode;
  if (code === undefined) throw new Error(`the Auth emulator holds no verification mail to ${email}`);
  return code;
}

/** `accounts:update` with `{ oobCode }`: applies a verification code, as opening the mail's link does. */
export async function applyEmailVerificationCode(authAddress: string, oobCode: string): Promise<void> {
  await post(authAddress, 'identitytoolkit.googleapis.com/v1/accounts:update', { oobCode });
}

function post<TAnswer>(authAddress: string, path: string, body: unknown): Promise<TAnswer> {
  return call<TAnswer>(authAddress, path, 'POST', body);
}

async function call<TAnswer>(
  authAddress: string,
  path: string,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<TAnswer> {
  // A connection per call: a pooled keep-alive connection that the emulator closes while idle fails the
  // next call that picks it up ("other side closed"). The emulator accepts any API key; the SDKs send one.
  const answer = await httpRequest(`http://${authAddress}/${path}?key=any-api-key`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (answer.status !== 200) {
    const code = (JSON.parse(answer.body) as { error?: { message?: string } }).error?.message ?? answer.body;
    throw new AuthRestError(answer.status, code, path);
  }
  return JSON.parse(answer.body) as TAnswer;
}
