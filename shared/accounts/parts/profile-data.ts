import type { Firestore } from 'firebase-admin/firestore';
import { NotFoundError } from '../../errors/domain-errors';
import { toProfileResponse } from '../../users/user';
import type { UserRepository } from '../../users/user-repository';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';

/**
 * The profile (`users/{uid}`: name, username, email, phone, role), the username claim, and every
 * subcollection under the profile (devices, the notification inbox), deleted recursively so that whatever a
 * domain keeps there goes with it. The company stays: it is the company's record, not the person's.
 * Erased last, so that a retry after a failure half-way still finds the profile the other parts may need.
 */
export class ProfileData implements PersonalDataPart {
  readonly name = 'profile';

  constructor(
    private readonly db: Firestore,
    private readonly users: UserRepository,
  ) {}

  /** @throws NotFoundError for an account that never registered: nothing is stored about it. */
  async exportOf(uid: string): Promise<ExportSections> {
    const user = await this.users.findUser(uid);
    if (user === undefined) throw new NotFoundError('Register first: nothing is stored about this account.');
    const company = user.companyId === null ? undefined : await this.users.findCompany(user.companyId);
    return toProfileResponse(user, company);
  }

  async erase(subject: DataSubject): Promise<void> {
    await this.db.runTransaction(async (tx) => {
      const user = await this.users.getUserIn(tx, subject.uid);
      if (user !== undefined) this.users.remove(tx, user);
    });
    await this.db.recursiveDelete(this.db.collection('users').doc(subject.uid));
  }
}
