import type { Request } from '@google-cloud/functions-framework';
import type { CompanyRole, Role } from '../users/role';

/** The verified identity behind a request's Firebase ID token. */
export interface Caller {
  readonly uid: string;
  readonly email: string | undefined;
  /** The token's `email_verified` claim. */
  readonly emailVerified: boolean;
  /** Absent until the account registers. */
  readonly role: Role | undefined;
  /** Set for admins and staff: their company. */
  readonly companyId: string | undefined;
}

/** A registered normal user. */
export interface UserCaller extends Caller {
  readonly role: 'user';
}

/** A registered admin of a company. */
export interface AdminCaller extends Caller {
  readonly role: 'admin';
  readonly companyId: string;
}

/** A company's admin or door staff member: who may check tickets in. */
export interface DoorCaller extends Caller {
  readonly role: CompanyRole;
  readonly companyId: string;
}

/**
 * Who may call a function: `none` (no token: webhooks, internal jobs guarded by IAM), any `signed-in`
 * Firebase user, a registered `user`, a company `admin`, or at the `door` a company's admin or staff.
 * `admin` and `door` functions check on every call, reads included, that the token is not revoked and the
 * account still holds its role.
 */
export type Access = 'none' | 'signed-in' | 'user' | 'admin' | 'door';

/** The caller type a handler receives for an access level. */
export type CallerFor<A extends Access> = A extends 'admin'
  ? AdminCaller
  : A extends 'door'
    ? DoorCaller
    : A extends 'user'
      ? UserCaller
      : A extends 'signed-in'
        ? Caller
        : undefined;

/** What flows through the middleware pipeline for one HTTP request. */
export interface HttpEvent {
  readonly req: Request;
  caller?: Caller;
  body?: unknown;
  query?: unknown;
}

/** A handler's answer; the adapter writes it as JSON. */
export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Media type of the body; `application/json` unless set. */
  readonly contentType?: string;
}
