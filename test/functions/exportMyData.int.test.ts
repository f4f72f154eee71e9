import { Timestamp } from 'firebase-admin/firestore';
import { apiClient, expectData } from '../support/api-client';
import { createSignedInUser } from '../support/auth-users';
import { adminFirestore } from '../support/firestore-admin';
import { createCompanyAdmin } from '../support/roles';
import { exampleCompany, payingPerson, seedPushData } from './account-fixtures';
import { joinOrFail, soldOutEvent } from './waitlist-fixtures';

describe('GET /exportMyData', () => {
  it('gives a registered user everything stored about them', async () => {
    const { person, booking, payment } = await payingPerson(2);
    const { tokenId, notificationId } = await seedPushData(person.uid);

    const exported = expectData(await apiClient(person.idToken).GET('/exportMyData'), 200);

    expect(exported.user).toMatchObject({
      id: person.uid,
      username: person.username,
      name: person.name,
      email: person.email,
      phoneNumber: person.phoneNumber,
      role: 'user',
    });
    expect(exported.company).toBeUndefined();
    expect(exported.bookings).toEqual([
      expect.objectContaining({ id: booking.id, userId: person.uid, status: 'held' }),
    ]);
    expect(exported.payments).toEqual([
      expect.objectContaining({
        id: payment.id,
        bookingId: booking.id,
        amount: booking.total,
        currency: 'EUR',
      }),
    ]);
    expect(exported.devices).toEqual([expect.objectContaining({ id: tokenId, platform: 'ios' })]);
    expect(exported.notifications).toEqual([
      expect.objectContaining({
        id: notificationId,
        type: 'booking.expired',
        createdAt: expect.stringMatching(/Z$/),
      }),
    ]);
    expect(exported.waitlist).toEqual([]);
    expect(Date.parse(exported.exportedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('includes the waitlist entries', async () => {
    const { event } = await soldOutEvent([1]);
    const { person } = await payingPerson(1);
    const entry = await joinOrFail(person, event.id, 1);
    const exported = expectData(await apiClient(person.idToken).GET('/exportMyData'), 200);
    expect(exported.waitlist).toEqual([
      expect.objectContaining({ id: entry.id, eventId: event.id, status: 'waiting', quantity: 1 }),
    ]);
  });

  it('includes the company of an admin', async () => {
    const admin = await createCompanyAdmin();
    const company = exampleCompany;
    await adminFirestore()
      .collection('companies')
      .doc(admin.companyId)
      .set({ ...company, createdAt: Timestamp.now() });
    const exported = expectData(await apiClient(admin.idToken).GET('/exportMyData'), 200);
    expect(exported.user).toMatchObject({ id: admin.uid, role: 'admin', companyId: admin.companyId });
    expect(exported.company).toMatchObject({ id: admin.companyId, ...company });
    expect(exported.bookings).toEqual([]);
  });

  it('answers 404 to an account that never registered, and 401 without a token', async () => {
    const account = await createSignedInUser();
    expect((await apiClient(account.idToken).GET('/exportMyData')).response.status).toBe(404);
    expect((await apiClient().GET('/exportMyData')).response.status).toBe(401);
  });
});
