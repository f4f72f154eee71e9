import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { AuthAccounts } from '../auth/auth-accounts';
import type { BookingRepository } from '../bookings/booking-repository';
import type { Clock } from '../time/clock';
import { runTransactionWithRetry } from '../firebase/contention-retry';
import { ConflictError } from '../errors/domain-errors';
import { logger } from '../logging/logger';
import type { UserRepository } from '../users/user-repository';
import {
  activeTicketBookings,
  DELETED_RECORD_LIFETIME_MS,
  isUpcoming,
  newPseudonym,
  type AccountDeletion,
} from './account-deletion';
import type { AccountDeletionRepository } from './account-deletion-repository';
import type { PersonalDataExport } from './account-response-schemas';
import type { EventSchedules } from './event-schedules';
import type { PersonalDataPart } from './personal-data';

/** The collaborators of {@link AccountService}. */
export interface AccountDependencies {
  readonly db: Firestore;
  readonly users: UserRepository;
  readonly bookings: BookingRepository;
  readonly schedules: EventSchedules;
  readonly deletions: AccountDeletionRepository;
  /** Erased in this order; the profile comes last (see docs/accounts.md). */
  readonly parts: readonly PersonalDataPart[];
  readonly auth: AuthAccounts;
  readonly clock: Clock;
}

/** Exporting everything stored about an account, and deleting the account (GDPR Articles 15, 17 and 20). */
export class AccountService {
  constructor(private readonly deps: AccountDependencies) {}

  /**
   * Everything stored about the caller, section by section from each personal data part.
   *
   * @throws NotFoundError for an account that never registered
   */
  async exportOf(uid: string): Promise<PersonalDataExport> {
    const sections = await Promise.all(this.deps.parts.map((part) => part.exportOf(uid)));
    const merged = Object.assign(
      { bookings: [], payments: [], waitlist: [], devices: [], notifications: [] },
      ...sections,
    ) as Omit<PersonalDataExport, 'exportedAt'>;
    return { ...merged, exportedAt: this.deps.clock.now().toISOString() };
  }

  /**
   * Deletes the caller's account. The deletion is recorded first, in the transaction that checks it is
   * allowed: from then on every other call of the account is refused and no booking or registration of it
   * can commit. Then each part erases its data, the pseudonym is forgotten, and the Firebase Auth account
   * is deleted last. Each step is idempotent and the record says how far a deletion got, so a failed
   * attempt retried with the same token finishes the job, with the same pseudonym.
   *
   * @throws ConflictError `active-tickets` while the caller holds confirmed tickets of events to come;
   * `last-admin` for the last admin of a company with scheduled events to come
   */
  async deleteAccount(uid: string): Promise<{ deleted: true }> {
    const deletion = await runTransactionWithRetry(this.deps.db, (tx) => this.startIn(tx, uid));
    if (deletion.status === 'erasing') {
      const subject = { uid, pseudonym: deletion.pseudonym ?? newPseudonym() };
      for (const part of this.deps.parts) {
        try {
          await part.erase(subject);
        } catch (error) {
          logger.error('account erasure failed; a retry of deleteAccount resumes it', {
            uid,
            part: part.name,
          });
          throw error;
        }
      }
      await this.deps.deletions.markErased(uid);
    }
    if (deletion.status !== 'deleted') {
      await this.deps.auth.delete(uid);
      const expiresAt = new Date(this.deps.clock.now().getTime() + DELETED_RECORD_LIFETIME_MS);
      await this.deps.deletions.markDeleted(uid, expiresAt);
    }
    logger.info('account deleted', { uid });
    return { deleted: true };
  }

  /** The deletion under way, or a new one if nothing forbids it (checked and recorded in `tx`). */
  private async startIn(tx: Transaction, uid: string): Promise<AccountDeletion> {
    const [existing, user, confirmed] = await Promise.all([
      this.deps.deletions.getIn(tx, uid),
      this.deps.users.getUserIn(tx, uid),
      this.deps.bookings.confirmedOfUserIn(tx, uid),
    ]);
    if (existing !== undefined) return existing;
    const now = this.deps.clock.now();
    const events = await this.deps.schedules.ofEventsIn(
      tx,
      confirmed.map((booking) => booking.eventId),
    );
    if (activeTicketBookings(confirmed, events, now).length > 0) {
      throw new ConflictError(
        'active-tickets',
        'You hold tickets for events still to come: cancel them (for a refund) or wait until the events ' +
          'have started, then delete the account.',
      );
    }
    if (user?.role === 'admin' && user.companyId !== null)
      await this.assertNotLastAdmin(tx, uid, user.companyId, now);
    const started: AccountDeletion = { uid, status: 'erasing', pseudonym: newPseudonym(), startedAt: now };
    this.deps.deletions.start(tx, started);
    return started;
  }

  /**
   * Refuses to delete the company's last admin while it has scheduled events to come. Admins whose own
   * deletion has started do not count: their records are read in this transaction, so two last admins
   * deleting their accounts at once conflict and the second is refused.
   */
  private async assertNotLastAdmin(
    tx: Transaction,
    uid: string,
    companyId: string,
    now: Date,
  ): Promise<void> {
    const others = (await this.deps.users.adminIdsIn(tx, companyId)).filter((id) => id !== uid);
    const [deletions, upcoming] = await Promise.all([
      Promise.all(others.map((id) => this.deps.deletions.getIn(tx, id))),
      this.deps.schedules.upcomingOfCompanyIn(tx, companyId, now),
    ]);
    const remaining = deletions.filter((deletion) => deletion === undefined).length;
    if (remaining === 0 && upcoming.some((event) => isUpcoming(event, now))) {
      throw new ConflictError(
        'last-admin',
        'You are the last admin of a company with events to come: make someone else an admin first.',
      );
    }
  }
}
