import type { RoleRecords } from '../auth/role-records';
import type { Role } from './role';
import type { UserRepository } from './user-repository';

/**
 * {@link RoleRecords} read from the user profiles (`users/{uid}`); an account whose deletion has started
 * (`accountDeletions/{uid}`, read in the same round trip) holds no role. Firestore is loaded on the first call, so
 * that functions answer requests refused before any role check without loading it.
 */
export class FirestoreRoleRecords implements RoleRecords {
  private users: Promise<UserRepository> | undefined;

  async holdsRole(uid: string, role: Role, companyId: string | undefined): Promise<boolean> {
    this.users ??= Promise.all([import('../firebase/firestore'), import('./user-repository')]).then(
      ([{ firestore }, { UserRepository }]) => new UserRepository(firestore()),
    );
    const held = await (await this.users).heldRole(uid);
    return held !== undefined && held.role === role && held.companyId === companyId;
  }
}
