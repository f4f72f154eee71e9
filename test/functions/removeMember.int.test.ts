import { signInAgain } from '../support/auth-users';
import { adminFirestore } from '../support/firestore-admin';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createCompanyStaff } from '../support/roles';
import { problemType } from './booking-fixtures';
import { checkIn, doorEvent, ticketedBooking } from './check-in-fixtures';
import { createInvitee, inviteOrFail, joinOrFail } from './team-fixtures';

function remove(admin: { idToken: string }, userId: string) {
  return callFunction<{ user: { id: string; role: string }; type?: string }>('removeMember', {
    token: admin.idToken,
    body: { userId },
  });
}

describe('removeMember', () => {
  it('takes the role away at once: the member’s next call, read or write, answers 401', async () => {
    const admin = await createCompanyAdmin();
    const invitee = await createInvitee();
    const staff = await joinOrFail(invitee, await inviteOrFail(admin, invitee.email, 'staff'));
    const event = await doorEvent(admin);
    const { booking } = await ticketedBooking(event, 2);
    expect((await checkIn(staff, event.id, booking.tickets[0]?.code ?? '')).status).toBe(200);
    const manifest = () =>
      callFunction('checkInManifest', { token: staff.idToken, query: { eventId: event.id } });
    expect((await manifest()).status).toBe(200);

    const removed = await remove(admin, staff.uid);
    expect(removed.status).toBe(200);
    expect(removed.body.user).toMatchObject({ id: staff.uid, role: 'staff', companyId: admin.companyId });
    expect((await manifest()).status).toBe(401);
    expect((await checkIn(staff, event.id, booking.tickets[1]?.code ?? '')).status).toBe(401);
    expect((await adminFirestore().collection('users').doc(staff.uid).get()).exists).toBe(false);
    // As if never registered: signed in again, the account has no profile and may accept a new invitation.
    const again = await signInAgain(invitee);
    expect((await callFunction('me', { token: again.idToken })).status).toBe(404);
    const rejoined = await joinOrFail(again, await inviteOrFail(admin, invitee.email, 'admin'));
    expect((await callFunction('companyMembers', { token: rejoined.idToken })).status).toBe(200);
  });

  it('never removes the last admin, even when two admins remove each other at once', async () => {
    const admin = await createCompanyAdmin();
    const other = await createCompanyAdmin(admin.companyId);
    const raced = await Promise.all([remove(admin, other.uid), remove(other, admin.uid)]);
    expect(raced.map((response) => response.status).sort()).toEqual([200, 409]);
    const refused = raced.find((response) => response.status === 409);
    expect(refused?.body.type).toBe(problemType('last-admin'));
    const survivor = raced[0]?.status === 200 ? admin : other;
    const self = await remove(survivor, survivor.uid);
    expect(self.status).toBe(409);
    expect(self.body.type).toBe(problemType('last-admin'));
  });

  it("answers 404 for another company's member and for staff callers 403", async () => {
    const admin = await createCompanyAdmin();
    const stranger = await createCompanyAdmin();
    const staff = await createCompanyStaff(admin.companyId);
    expect((await remove(stranger, staff.uid)).status).toBe(404);
    expect((await remove(admin, 'no-such-user')).status).toBe(404);
    expect((await remove(staff, admin.uid)).status).toBe(403);
    expect((await adminFirestore().collection('users').doc(staff.uid).get()).exists).toBe(true);
  });
});
