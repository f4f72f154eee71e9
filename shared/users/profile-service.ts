import { NotFoundError } from '../errors/domain-errors';
import { toProfileResponse, type ProfileResponse } from './user';
import type { UserRepository } from './user-repository';

/** Reads the caller's own profile. */
export class ProfileService {
  constructor(private readonly users: UserRepository) {}

  /** The caller's user and, for admins, company. @throws NotFoundError when not registered. */
  async profileOf(uid: string): Promise<ProfileResponse> {
    const user = await this.users.findUser(uid);
    if (user === undefined) throw new NotFoundError('This account has not registered yet.');
    const company = user.companyId === null ? undefined : await this.users.findCompany(user.companyId);
    return toProfileResponse(user, company);
  }
}
