import { createSignedInUser } from '../support/auth-users';
import type { operations } from '@event-manager/client';
import { apiClient, expectData } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { adminFirestore } from '../support/firestore-admin';
import { createCompanyAdmin } from '../support/roles';
import { exampleCompany } from './account-fixtures';
import { createInvitee, inviteOrFail, joinBody } from './team-fixtures';

const problem = (slug: string) => `https://errors.event-manager.dev/${slug}`;

let sequence = 0;
/** A username no other test uses, so tests can run in parallel against one database. */
function uniqueUsername(): string {
  sequence += 1;
  return `u${Date.now().toString(36)}${process.pid}_${sequence}`;
}

type RegisterBody = operations['register']['requestBody']['content']['application/json'];

function userBody(overrides: Partial<RegisterBody> = {}): RegisterBody {
  return {
    name: 'Ada Lovelace',
    username: uniqueUsername(),
    countryCode: 'GB',
    phoneNumber: '+44 20 7946 0000',
    role: 'user',
    ...overrides,
  };
}

function register(token: string | undefined, body: RegisterBody) {
  return apiClient(token).POST('/register', { body });
}

const company = exampleCompany;

describe('POST /register', () => {
  it('registers a normal user with the email from the token and sets the role claim', async () => {
    const account = await createSignedInUser();
    const body = userBody();
    const { data, response } = await register(account.idToken, body);

    expect(response.status).toBe(201);
    expect(data).toEqual({
      user: {
        id: account.uid,
        name: body.name,
        username: body.username,
        email: account.email,
        countryCode: 'GB',
        phoneNumber: body.phoneNumber,
        role: 'user',
        createdAt: expect.stringMatching(/Z$/),
      },
    });
    const refreshed = await account.refresh();
    const me = await apiClient(refreshed).GET('/me');
    expect(me.response.status).toBe(200);
    expect(me.data).toEqual(data);
  });

  it('registers an admin with a new company whose id becomes the companyId claim', async () => {
    const account = await createSignedInUser();
    const { user, company: created } = expectData(
      await register(account.idToken, userBody({ role: 'admin', company })),
      201,
    );
    expect(user.role).toBe('admin');
    expect(created).toMatchObject({ ...company, id: user.companyId, createdAt: expect.stringMatching(/Z$/) });
    const claims = JSON.parse(
      Buffer.from((await account.refresh()).split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ role: 'admin', companyId: user.companyId });
  });

  it('answers 409 to a second registration of the same user', async () => {
    const account = await createSignedInUser();
    const body = userBody();
    expect((await register(account.idToken, body)).response.status).toBe(201);
    const again = await register(account.idToken, body);
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ type: problem('already-registered') });
  });

  it('answers 409 when the username is taken, whatever its case', async () => {
    const first = await createSignedInUser();
    const second = await createSignedInUser();
    const username = uniqueUsername();
    expect((await register(first.idToken, userBody({ username }))).response.status).toBe(201);
    const taken = await register(second.idToken, userBody({ username: username.toUpperCase() }));
    expect(taken.response.status).toBe(409);
    expect(taken.error).toMatchObject({ type: problem('username-taken') });
  });

  it('gives a username to exactly one of several racing registrations', async () => {
    const accounts = await Promise.all(Array.from({ length: 5 }, () => createSignedInUser()));
    const username = uniqueUsername();
    const responses = await Promise.all(
      accounts.map((account) => register(account.idToken, userBody({ username }))),
    );
    const statuses = responses.map((answer) => answer.response.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    const owners = await adminFirestore().collection('users').where('username', '==', username).get();
    expect(owners.size).toBe(1);
  });

  it('stores one profile when the same registration is sent twice at once', async () => {
    const account = await createSignedInUser();
    const body = userBody({ role: 'admin', company });
    const responses = await Promise.all([register(account.idToken, body), register(account.idToken, body)]);
    const statuses = responses.map((answer) => answer.response.status);
    expect(statuses).toContain(201);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const companies = await adminFirestore()
      .collection('companies')
      .where('registrationNumber', '==', company.registrationNumber)
      .get();
    const owned = companies.docs.filter((doc) =>
      responses.some((answer) => answer.data?.company?.id === doc.id),
    );
    expect(owned).toHaveLength(1);
  });

  it.each([
    ['a missing field', (body: Record<string, unknown>) => ({ ...body, name: undefined }), 'name'],
    ['an unknown field', (body: Record<string, unknown>) => ({ ...body, companyId: 'x' }), 'companyId'],
    ['an admin without company', (body: Record<string, unknown>) => ({ ...body, role: 'admin' }), 'company'],
    ['a user with a company', (body: Record<string, unknown>) => ({ ...body, company }), 'company'],
    ['a bad role', (body: Record<string, unknown>) => ({ ...body, role: 'root' }), 'role'],
  ])('answers 400 naming the field for %s, storing nothing', async (_case, change, path) => {
    const account = await createSignedInUser();
    // Raw: each body breaks the schema, so the typed client would refuse to send it.
    const response = await callFunction('register', { token: account.idToken, body: change(userBody()) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: problem('validation'),
      errors: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect((await adminFirestore().collection('users').doc(account.uid).get()).exists).toBe(false);
  });

  it('answers 400 problem+json to malformed JSON', async () => {
    const account = await createSignedInUser();
    const response = await callFunction('register', {
      method: 'POST',
      token: account.idToken,
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: problem('malformed-json') });
  });

  it('answers 415 to a body that is not JSON', async () => {
    const account = await createSignedInUser();
    const response = await callFunction('register', {
      method: 'POST',
      token: account.idToken,
      rawBody: 'name=Ada',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ type: problem('unsupported-media-type') });
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const account = await createSignedInUser();
    const response = await callFunction('register', {
      method: 'POST',
      token: account.idToken,
      body: userBody({ name: 'x'.repeat(70 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ type: problem('payload-too-large') });
  });

  it('answers 405 with Allow to other methods', async () => {
    const response = await callFunction('register', { method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['no token', undefined],
    ['a malformed token', 'not-a-jwt'],
    ['a forged token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
  ])('answers 401 to %s', async (_case, token) => {
    const { error, response } = await register(token, userBody());
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(error).toMatchObject({ type: problem('unauthenticated'), status: 401 });
  });

  it('refuses a revoked token on this state-changing call', async () => {
    const account = await createSignedInUser();
    // Revocation is recorded in whole seconds; a token issued in the same second would still pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { adminAuth } = await import('../support/firestore-admin');
    await adminAuth().revokeRefreshTokens(account.uid);
    const { response } = await register(account.idToken, userBody());
    expect(response.status).toBe(401);
  });
});

describe('POST /register with an invitationId', () => {
  it('joins the inviting company with the invited role and claims, and uses the invitation once', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const invitation = await inviteOrFail(admin, invitee.email.toUpperCase(), 'staff');
    const response = await callFunction<{ user: Record<string, unknown> }>('register', {
      token: invitee.idToken,
      body: joinBody(invitation.id, 'staff'),
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ id: invitee.uid, role: 'staff', companyId: admin.companyId });
    const claims = JSON.parse(
      Buffer.from((await invitee.refresh()).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).toMatchObject({ role: 'staff', companyId: admin.companyId });
    const stored = await adminFirestore().collection('invitations').doc(invitation.id).get();
    expect(stored.get('status')).toBe('accepted');
    const reuse = await callFunction<{ type: string }>('register', {
      token: (await createInvitee({ email: `other-${invitee.email}` })).idToken,
      body: joinBody(invitation.id, 'staff'),
    });
    expect(reuse.status).toBe(403);
  });

  it('lets exactly one of two racing registrations use the invitation', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const invitation = await inviteOrFail(admin, invitee.email, 'admin');
    const raced = await Promise.all([
      callFunction<{ type?: string }>('register', {
        token: invitee.idToken,
        body: joinBody(invitation.id, 'admin'),
      }),
      callFunction<{ type?: string }>('register', {
        token: invitee.idToken,
        body: joinBody(invitation.id, 'admin'),
      }),
    ]);
    expect(raced.map((response) => response.status).sort()).toEqual([201, 409]);
    const members = await adminFirestore()
      .collection('users')
      .where('companyId', '==', admin.companyId)
      .get();
    expect(members.size).toBe(2);
  });

  it('refuses another email or an unverified one (403), a used or revoked invitation (409), and bad bodies (400)', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee({ verified: false });
    const invitation = await inviteOrFail(admin, invitee.email, 'staff');
    const unverified = await callFunction('register', {
      token: invitee.idToken,
      body: joinBody(invitation.id, 'staff'),
    });
    expect(unverified.status).toBe(403);
    const wrongRole = await callFunction('register', {
      token: (await createInvitee({ email: `verified-${invitee.email}` })).idToken,
      body: joinBody(invitation.id, 'staff'),
    });
    expect(wrongRole.status).toBe(403);

    const revokedFor = await createInvitee();
    const revoked = await inviteOrFail(admin, revokedFor.email, 'staff');
    await callFunction('revokeInvitation', { token: admin.idToken, body: { invitationId: revoked.id } });
    const late = await callFunction<{ type: string }>('register', {
      token: revokedFor.idToken,
      body: joinBody(revoked.id, 'staff'),
    });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe(problem('invitation-not-pending'));

    const account = await createSignedInUser();
    const staffAlone = await callFunction('register', {
      token: account.idToken,
      body: userBody({ role: 'staff' }),
    });
    expect(staffAlone.status).toBe(400);
    const userInvited = await callFunction('register', {
      token: account.idToken,
      body: userBody({ role: 'user', invitationId: invitation.id }),
    });
    expect(userInvited.status).toBe(400);
    const withCompany = await callFunction('register', {
      token: account.idToken,
      body: { ...joinBody(invitation.id, 'admin'), company },
    });
    expect(withCompany.status).toBe(400);
    expect((await callFunction('me', { token: account.idToken })).status).toBe(404);
  });

  it('refuses an account that is already registered with 409 already-registered', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const first = await callFunction('register', { token: invitee.idToken, body: userBody() });
    expect(first.status).toBe(201);
    const invitation = await inviteOrFail(admin, invitee.email, 'staff');
    const second = await callFunction<{ type: string }>('register', {
      token: await invitee.refresh(),
      body: joinBody(invitation.id, 'staff'),
    });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe(problem('already-registered'));
  });
});
