import { BookingRepository } from '../shared/bookings/booking-repository';
import { getConfig } from '../shared/config/config';
import { firestore } from '../shared/firebase/firestore';
import { TicketBackfill } from '../shared/tickets/ticket-backfill';
import { TicketRepository } from '../shared/tickets/ticket-repository';
import { TicketSigner } from '../shared/tickets/ticket-signing';

/**
 * `npm run backfill:tickets`: gives tickets issued before signing their `qr` and door record, once, after
 * the deploy that introduced check-in (docs/check-in.md). Safe to run again. Needs `GCLOUD_PROJECT`,
 * `TICKET_SIGNING_KEY` and credentials that may write Firestore (or the emulator variables).
 */
async function main(): Promise<void> {
  const db = firestore();
  const backfill = new TicketBackfill(
    db,
    new BookingRepository(db),
    new TicketRepository(db),
    new TicketSigner(getConfig().ticketSigningKey()),
  );
  const report = await backfill.run();
  console.log(`backfill: ${report.scanned} bookings read, ${report.completed} completed`);
}

main().catch((error: unknown) => {
  console.error('backfill failed', error);
  process.exit(1);
});
