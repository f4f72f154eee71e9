import { FirebaseAuthAccounts } from '../auth/firebase-auth-accounts';
import { BookingRepository } from '../bookings/booking-repository';
import { sweptHoldReleaseService } from '../bookings/swept-booking-services';
import { systemClock } from '../time/clock';
import { firestore } from '../firebase/firestore';
import { PaymentRepository } from '../payments/payment-repository';
import { TicketRepository } from '../tickets/ticket-repository';
import { InvitationRepository } from '../users/invitation-repository';
import { UserRepository } from '../users/user-repository';
import { AccountDeletionRepository } from './account-deletion-repository';
import { AccountService } from './account-service';
import { EventSchedules } from './event-schedules';
import type { PersonalDataPart } from './personal-data';
import { AuditData } from './parts/audit-data';
import { BookingData } from './parts/booking-data';
import { InvitationData } from './parts/invitation-data';
import { OutboxData } from './parts/outbox-data';
import { PaymentData } from './parts/payment-data';
import { ProfileData } from './parts/profile-data';
import { PushData } from './parts/push-data';
import { DeviceRepository } from '../notifications/device-repository';
import { InboxRepository } from '../notifications/inbox-repository';
import { WaitlistData } from './parts/waitlist-data';
import { sweptWaitlistService } from '../waitlist/swept-waitlist-services';

let accounts: AccountService | undefined;

/**
 * Every domain's personal data part, in erasure order: the waitlist first (its active entries are
 * cancelled, so no offer is made to the closing account), then the outbox and the bookings (both find the
 * user's bookings by the uid, which the bookings part replaces), the profile last (its recursive delete takes the devices and the inbox with it).
 */
function personalDataParts(): PersonalDataPart[] {
  const db = firestore();
  const bookings = new BookingRepository(db);
  return [
    new WaitlistData(db, sweptWaitlistService()),
    new OutboxData(db, bookings),
    new BookingData({
      db,
      bookings,
      holdRelease: sweptHoldReleaseService(),
      tickets: new TicketRepository(db),
      clock: systemClock,
    }),
    new PaymentData(db, new PaymentRepository(db)),
    new AuditData(db),
    new InvitationData(new InvitationRepository(db)),
    new PushData(new DeviceRepository(db), new InboxRepository(db)),
    new ProfileData(db, new UserRepository(db)),
  ];
}

/** The account service wired to Firestore and Firebase Auth, built on first use. */
export function accountService(): AccountService {
  const db = firestore();
  accounts ??= new AccountService({
    db,
    users: new UserRepository(db),
    bookings: new BookingRepository(db),
    schedules: new EventSchedules(db),
    deletions: new AccountDeletionRepository(db),
    parts: personalDataParts(),
    auth: new FirebaseAuthAccounts(),
    clock: systemClock,
  });
  return accounts;
}
