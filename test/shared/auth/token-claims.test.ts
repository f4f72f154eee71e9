import { identityFromClaims, unverifiedIdentity } from '../../../shared/auth/token-claims';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token claims', () => {
  it('maps the claims of a token to an identity, ignoring unknown roles and non-string companies', () => {
    expect(
      identityFromClaims('u1', {
        email: 'a@example.com',
        email_verified: true,
        role: 'staff',
        companyId: 'c1',
      }),
    ).toEqual({ uid: 'u1', email: 'a@example.com', emailVerified: true, role: 'staff', companyId: 'c1' });
    expect(identityFromClaims('u2', { role: 'root', companyId: 7, email_verified: 'yes' })).toEqual({
      uid: 'u2',
      email: undefined,
      emailVerified: false,
      role: undefined,
      companyId: undefined,
    });
  });

  it('reads what a JWT claims, and nothing from what is not a JWT with a usable subject', () => {
    expect(
      unverifiedIdentity(`${part({})}.${part({ sub: 'u1', role: 'admin', companyId: 'c1' })}.sig`),
    ).toEqual({
      uid: 'u1',
      email: undefined,
      emailVerified: false,
      role: 'admin',
      companyId: 'c1',
    });
    expect(unverifiedIdentity('not-a-jwt')).toBeUndefined();
    expect(unverifiedIdentity(`${part({})}.!!!.sig`)).toBeUndefined();
    expect(unverifiedIdentity(`${part({})}.${part(['sub'])}.sig`)).toBeUndefined();
    expect(unverifiedIdentity(`${part({})}.${part({ sub: '' })}.sig`)).toBeUndefined();
    expect(unverifiedIdentity(`${part({})}.${part({ sub: 'x'.repeat(129) })}.sig`)).toBeUndefined();
  });
});
