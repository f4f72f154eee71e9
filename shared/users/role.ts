/** Roles a registered account can hold, set by the server as custom claims. One account holds one role. */
export const ROLES = ['user', 'admin', 'staff'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** The roles that act for a company: its admins and its door staff. */
export const COMPANY_ROLES = ['admin', 'staff'] as const satisfies readonly Role[];

/** One of {@link COMPANY_ROLES}. */
export type CompanyRole = (typeof COMPANY_ROLES)[number];

/** Whether `role` acts for a company, which also means it may check that company's tickets in at the door. */
export function isCompanyRole(role: Role | undefined): role is CompanyRole {
  return COMPANY_ROLES.some((companyRole) => companyRole === role);
}
