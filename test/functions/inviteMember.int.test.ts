import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createCompanyStaff, createRegisteredUser } from '../support/roles';
import { problemType } from './booking-fixtures';
import { createInvitee, invite, inviteOrFail, joinOrFail, type InvitationJson } from './team-fixtures';

describe('inviteMember, myInvitations, revokeInvitation, companyMembers', () => {
  it('invites by email for seven days, shows the invitation to its addressee and to the company', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const before = Date.now();
    const invitation = await inviteOrFail(admin, invitee.email.toUpperCase(), 'staff');
    expect(invitation).toEqual({
      id: expect.any(String),
      companyId: admin.companyId,
      email: invitee.email,
      role: 'staff',
      status: 'pending',
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
    });
    const lifetime = Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt);
    expect(lifetime).toBe(7 * 24 * 60 * 60 * 1000);
    expect(Date.parse(invitation.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const mine = await callFunction<{ invitations: InvitationJson[] }>('myInvitations', {
      token: invitee.idToken,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.invitations).toEqual([invitation]);
    const members = await callFunction<{ members: { id: string }[]; invitations: InvitationJson[] }>(
      'companyMembers',
      {
        token: admin.idToken,
      },
    );
    expect(members.status).toBe(200);
    expect(members.body.members.map((member) => member.id)).toEqual([admin.uid]);
    expect(members.body.invitations).toEqual([invitation]);
  });

  it('refuses a second pending invitation of the same email, also when two admins race', async () => {
    const admin = await createCompanyAdmin();
    const email = (await createInvitee()).email;
    const raced = await Promise.all([
      invite(admin, email, 'staff'),
      invite(admin, email.toUpperCase(), 'admin'),
    ]);
    expect(raced.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(raced.find((response) => response.status === 409)?.body.type).toBe(
      problemType('invitation-pending'),
    );
    // Another company may invite the same person.
    expect((await invite(await createCompanyAdmin(), email, 'staff')).status).toBe(201);
  });

  it('revokes a pending invitation once; another company gets 404; a revoked one can be re-sent', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const invitation = await inviteOrFail(admin, invitee.email, 'admin');
    const stranger = await createCompanyAdmin();
    const foreign = await callFunction('revokeInvitation', {
      token: stranger.idToken,
      body: { invitationId: invitation.id },
    });
    expect(foreign.status).toBe(404);

    const revoked = await callFunction<{ invitation: InvitationJson }>('revokeInvitation', {
      token: admin.idToken,
      body: { invitationId: invitation.id },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.invitation).toEqual({ ...invitation, status: 'revoked' });
    const again = await callFunction<{ type: string }>('revokeInvitation', {
      token: admin.idToken,
      body: { invitationId: invitation.id },
    });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe(problemType('invitation-not-pending'));
    const mine = await callFunction<{ invitations: InvitationJson[] }>('myInvitations', {
      token: invitee.idToken,
    });
    expect(mine.body.invitations).toEqual([]);
    expect((await invite(admin, invitee.email, 'admin')).status).toBe(201);
  });

  it('is for admins only: staff and users get 403, bad bodies 400', async () => {
    const admin = await createCompanyAdmin();
    const staff = await createCompanyStaff(admin.companyId);
    const user = await createRegisteredUser();
    for (const caller of [staff, user]) {
      expect((await invite(caller, 'x@example.com', 'staff')).status).toBe(403);
      expect((await callFunction('companyMembers', { token: caller.idToken })).status).toBe(403);
    }
    expect((await invite(admin, 'not-an-email', 'staff')).status).toBe(400);
    const asUser = await callFunction('inviteMember', {
      token: admin.idToken,
      body: { email: 'x@example.com', role: 'user' },
    });
    expect(asUser.status).toBe(400);
  });

  it('lists members who joined by invitation', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const member = await joinOrFail(invitee, await inviteOrFail(admin, invitee.email, 'staff'));
    const listed = await callFunction<{
      members: { id: string; role: string; companyId: string }[];
      invitations: unknown[];
    }>('companyMembers', { token: admin.idToken });
    expect(
      listed.body.members
        .map(({ id, role, companyId }) => ({ id, role, companyId }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    ).toEqual(
      [
        { id: admin.uid, role: 'admin', companyId: admin.companyId },
        { id: member.uid, role: 'staff', companyId: admin.companyId },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(listed.body.invitations).toEqual([]);
  });
});
