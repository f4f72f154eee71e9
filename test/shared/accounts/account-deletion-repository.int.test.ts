import { randomUUID } from 'node:crypto';
import { AccountDeletionRepository } from '../../../shared/accounts/account-deletion-repository';
import { createBookingService } from '../../../shared/bookings/booking-services';
import { AuthenticationError } from '../../../shared/errors/domain-errors';
import { InvitationRepository } from '../../../shared/users/invitation-repository';
import { RegistrationService } from '../../../shared/users/registration-service';
import { UserRepository } from '../../../shared/users/user-repository';
import { FirestoreInventoryStore } from '../../../shared/inventory/firestore-inventory-store';
import { storeEventOnSale } from '../../support/events-on-sale';
import { adminFirestore } from '../../support/firestore-admin';

describe('AccountDeletionRepository.assertNotClosingIn', () => {
  // A request that passed the middleware's check just before the deletion started still runs its
  // transaction: the transaction itself must refuse.
  it('makes a booking transaction refuse an account whose deletion has started, and store nothing', async () => {
    const db = adminFirestore();
    const inventory = new FirestoreInventoryStore(db);
    const service = createBookingService(db, inventory);
    const eventId = await storeEventOnSale(db, inventory, {
      totalTickets: 10,
      surgeThreshold: 10,
      basePrice: 1_000,
      surgePrice: 1_000,
      maxTicketsPerBooking: 4,
    });
    const uid = `closing-${randomUUID()}`;
    const deletions = new AccountDeletionRepository(db);
    await db.runTransaction(async (tx) =>
      deletions.start(tx, { uid, status: 'erasing', pseudonym: 'erased-x', startedAt: new Date() }),
    );

    await expect(service.book(uid, { eventId, quantity: 1 }, undefined)).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect((await db.collection('bookings').where('userId', '==', uid).get()).size).toBe(0);
    // Another account books as usual.
    const other = await service.book(`open-${randomUUID()}`, { eventId, quantity: 1 }, undefined);
    expect(other.kind).toBe('booked');
  });

  it('makes a registration refuse an account whose deletion has started, and store nothing', async () => {
    const db = adminFirestore();
    const uid = `closing-${randomUUID()}`;
    const deletions = new AccountDeletionRepository(db);
    await db.runTransaction(async (tx) =>
      deletions.start(tx, { uid, status: 'erasing', pseudonym: 'erased-y', startedAt: new Date() }),
    );
    const claims = { setRoleClaims: jest.fn(), removeRoleClaims: jest.fn() };
    const registration = new RegistrationService(
      db,
      new UserRepository(db),
      claims,
      new InvitationRepository(db),
      deletions,
    );
    const caller = {
      uid,
      email: `${uid}@example.com`,
      emailVerified: true,
      role: undefined,
      companyId: undefined,
    };
    const body = {
      name: 'Ada Lovelace',
      username: `u${uid.slice(-20).replaceAll('-', '')}`,
      countryCode: 'GB',
      phoneNumber: '+44 20 7946 0000',
      role: 'user' as const,
    };

    await expect(registration.register(caller, body)).rejects.toBeInstanceOf(AuthenticationError);
    expect((await db.collection('users').doc(uid).get()).exists).toBe(false);
    expect(claims.setRoleClaims).not.toHaveBeenCalled();
  });
});
