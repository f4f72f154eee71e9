import { isCompanyRole, ROLES } from '../../../shared/users/role';

describe('roles', () => {
  it('counts admins and door staff as acting for a company, normal users and the unregistered not', () => {
    expect(ROLES.filter((role) => isCompanyRole(role))).toEqual(['admin', 'staff']);
    expect(isCompanyRole(undefined)).toBe(false);
  });
});
