import type * as z from 'zod';
import type { Role } from './role';
import type { companySchema, profileSchema, userSchema } from './user-response-schemas';
import type { CompanyInput } from './user-schemas';

/** A registered person. Its id is the Firebase Auth uid. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly email: string | null;
  readonly countryCode: string;
  readonly phoneNumber: string;
  readonly role: Role;
  readonly companyId: string | null;
  readonly createdAt: Date;
  /**
   * False between storing the profile and setting the role claims on the Auth account; a retried
   * registration finishes the job.
   */
  readonly claimsApplied: boolean;
}

/** The organisation an admin manages events for. */
export interface Company extends CompanyInput {
  readonly id: string;
  readonly createdAt: Date;
}

/** The `user` object of the HTTP contract: the stored user with `companyId` only for admins. */
export type UserResponse = z.infer<typeof userSchema>;

/** The `company` object of the HTTP contract. */
export type CompanyResponse = z.infer<typeof companySchema>;

/** A user and, for admins, their company, as `register` and `me` answer. */
export type ProfileResponse = z.infer<typeof profileSchema>;

/** Maps a stored user and company to the contract's response shape. */
export function toProfileResponse(user: User, company: Company | undefined): ProfileResponse {
  const userResponse: UserResponse = {
    id: user.id,
    name: user.name,
    username: user.username,
    email: user.email,
    countryCode: user.countryCode,
    phoneNumber: user.phoneNumber,
    role: user.role,
    ...(user.companyId === null ? {} : { companyId: user.companyId }),
    createdAt: user.createdAt.toISOString(),
  };
  if (company === undefined) return { user: userResponse };
  const { createdAt, ...fields } = company;
  return { user: userResponse, company: { ...fields, createdAt: createdAt.toISOString() } };
}
