import type { Role } from '../users/role';

/** Where the server records which role each registered account holds. */
export interface RoleRecords {
  /**
   * Whether the account is still registered with `role` in `companyId`: false once a member was removed,
   * even while a token issued before still carries the old claims, and once the account's deletion started.
   */
  holdsRole(uid: string, role: Role, companyId: string | undefined): Promise<boolean>;
}
