import type { RoleRecords } from '../auth/role-records';
import type { Role } from '../http/http-types';

/**
 * {@link RoleRecords} read from the user profiles (`users/{uid}`). Firestore is loaded on the first call, so
 * that functions answer requests refused before any role check without loading it.
 */
export class FirestoreRoleRecords implements RoleRecords {
  async holdsRole(uid: string, role: Role, companyId: string | undefined): Promise<boolean> {
    const [{ firestore }, { UserRepository }] = await Promise.all([
      import('../firebase/firestore'),
      import('./user-repository'),
    ]);
    const user = await new UserRepository(firestore()).findUser(uid);
    return user !== undefined && user.role === role && (user.companyId ?? undefined) === companyId;
  }
}
