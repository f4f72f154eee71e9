import middy from '@middy/core';
import type { ClosingAccounts } from '../../../shared/auth/closing-accounts';
import type { IdentityVerifier, VerifiedIdentity } from '../../../shared/auth/identity-verifier';
import type { RoleRecords } from '../../../shared/auth/role-records';
import { AuthenticationError } from '../../../shared/errors/domain-errors';
import type { HttpEvent, HttpResult } from '../../../shared/http/http-types';
import { authenticate } from '../../../shared/http/middleware/authenticate';
import { problemResponses } from '../../../shared/http/middleware/problem-responses';
import { logger } from '../../../shared/logging/logger';
import { fakeRequest } from './fake-request';

/** An unsigned JWT with these claims: the shape of a Firebase ID token, which the fake verifier "checks". */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.`;
}

const staff: VerifiedIdentity = {
  uid: 'staff-1',
  email: undefined,
  emailVerified: false,
  role: 'staff',
  companyId: 'company-1',
};

/** A verifier that answers only when `release` is called, so a test sees what ran meanwhile. */
function heldVerifier(outcome: () => VerifiedIdentity) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const verifier: IdentityVerifier = {
    verify: async () => {
      await released;
      return outcome();
    },
  };
  return { verifier, release: () => release() };
}

const openAccounts: ClosingAccounts = { isClosing: async () => false };

function doorPipeline(
  verifier: IdentityVerifier,
  roles: RoleRecords,
  closing = openAccounts,
  access: 'door' | 'user' = 'door',
) {
  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(problemResponses())
    .use(authenticate(access, verifier, roles, closing))
    .handler(async (event) => ({ status: 200, body: { uid: event.caller?.uid } }));
  return (token: string) => handler({ req: fakeRequest('POST', { authorization: `Bearer ${token}` }) }, {});
}

describe('authenticate (admin and door functions)', () => {
  it('reads the role record while the token is still being verified, and reads it once', async () => {
    const { verifier, release } = heldVerifier(() => staff);
    const asked: string[] = [];
    const call = doorPipeline(verifier, {
      holdsRole: async (uid, role, companyId) => {
        asked.push(`${uid}/${role}/${companyId}`);
        return true;
      },
    });
    const answer = call(jwt({ sub: 'staff-1', role: 'staff', companyId: 'company-1' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(['staff-1/staff/company-1']);
    release();
    expect(await answer).toMatchObject({ status: 200, body: { uid: 'staff-1' } });
    expect(asked).toHaveLength(1);
  });

  it("reads whether a user's account is closing while the token is being verified, and refuses it (401)", async () => {
    const user: VerifiedIdentity = { ...staff, uid: 'user-1', role: 'user', companyId: undefined };
    const { verifier, release } = heldVerifier(() => user);
    const asked: string[] = [];
    const call = doorPipeline(
      verifier,
      { holdsRole: async () => true },
      {
        isClosing: async (uid) => {
          asked.push(uid);
          return true;
        },
      },
      'user',
    );
    const answer = call(jwt({ sub: 'user-1', role: 'user' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(['user-1']);
    release();
    expect((await answer).status).toBe(401);
    expect(asked).toHaveLength(1);
  });

  it('leaves the closing check of admin and door calls to their role read (one round trip)', async () => {
    const { verifier, release } = heldVerifier(() => staff);
    const isClosing = jest.fn(async () => true);
    const call = doorPipeline(verifier, { holdsRole: async () => true }, { isClosing });
    const answer = call(jwt({ sub: 'staff-1', role: 'staff', companyId: 'company-1' }));
    release();
    expect((await answer).status).toBe(200);
    expect(isClosing).not.toHaveBeenCalled();
  });

  it('answers 401 for a removed member whose token still verifies', async () => {
    const { verifier, release } = heldVerifier(() => staff);
    const call = doorPipeline(verifier, { holdsRole: async () => false });
    const answer = call(jwt({ sub: 'staff-1', role: 'staff', companyId: 'company-1' }));
    release();
    expect((await answer).status).toBe(401);
  });

  it('checks the verified claims again when they differ from what the token seemed to claim', async () => {
    const { verifier, release } = heldVerifier(() => staff);
    const asked: string[] = [];
    const call = doorPipeline(verifier, {
      holdsRole: async (uid) => {
        asked.push(uid);
        return uid === 'staff-1';
      },
    });
    const answer = call(jwt({ sub: 'someone-else', role: 'admin', companyId: 'company-1' }));
    release();
    expect((await answer).status).toBe(200);
    expect(asked).toEqual(['someone-else', 'staff-1']);
  });

  it('answers 401 for a token that fails verification, whatever its role read ahead did', async () => {
    const verifier: IdentityVerifier = {
      verify: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        throw new AuthenticationError('The ID token is invalid, expired or revoked.');
      },
    };
    const call = doorPipeline(verifier, {
      holdsRole: async () => {
        throw new Error('Firestore is unavailable');
      },
    });
    const answer = await call(jwt({ sub: 'forged', role: 'admin', companyId: 'company-1' }));
    expect(answer.status).toBe(401);
  });

  it('fails the call when the role record cannot be read (never admits without the check)', async () => {
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const { verifier, release } = heldVerifier(() => staff);
    const call = doorPipeline(verifier, {
      holdsRole: async () => {
        throw new Error('Firestore is unavailable');
      },
    });
    const answer = call(jwt({ sub: 'staff-1', role: 'staff', companyId: 'company-1' }));
    release();
    expect((await answer).status).toBe(500);
    expect(logged).toHaveBeenCalledWith('request failed', expect.anything());
    logged.mockRestore();
  });
});
