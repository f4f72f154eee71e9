import { registerBodySchema } from '../../../shared/users/user-schemas';

const user = {
  name: 'Ada',
  username: 'ada_l',
  countryCode: 'GB',
  phoneNumber: '+44 20 7946 0000',
  role: 'user',
};
const company = {
  name: 'Acme Events',
  address: '1 Main St',
  email: 'ops@acme.test',
  countryCode: 'GB',
  phoneNumber: '+44 20 7946 0001',
  registrationNumber: 'GB-123',
};

function errorPaths(body: unknown): string[] {
  const result = registerBodySchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('registerBodySchema', () => {
  it('accepts a user without a company and an admin with one', () => {
    expect(errorPaths(user)).toEqual([]);
    expect(errorPaths({ ...user, role: 'admin', company })).toEqual([]);
  });

  it('requires the company for admins and forbids it for users', () => {
    expect(errorPaths({ ...user, role: 'admin' })).toEqual(['company']);
    expect(errorPaths({ ...user, company })).toEqual(['company']);
  });

  it('accepts ISO country codes and calling codes, nothing else', () => {
    expect(errorPaths({ ...user, countryCode: '+49' })).toEqual([]);
    expect(errorPaths({ ...user, countryCode: 'gb' })).toEqual(['countryCode']);
    expect(errorPaths({ ...user, countryCode: 'GBR' })).toEqual(['countryCode']);
  });

  it('rejects bad usernames, phone numbers and company emails', () => {
    expect(errorPaths({ ...user, username: 'a b' })).toEqual(['username']);
    expect(errorPaths({ ...user, phoneNumber: '12' })).toEqual(['phoneNumber']);
    expect(errorPaths({ ...user, role: 'admin', company: { ...company, email: 'nope' } })).toEqual([
      'company.email',
    ]);
  });

  it('rejects fields the client may not set', () => {
    expect(errorPaths({ ...user, companyId: 'x' })).toEqual(['']);
  });
});
