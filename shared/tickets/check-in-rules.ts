import type { TicketState } from './ticket';

/** What a scan does to a ticket in its visible state. */
export type ScanDecision =
  | { readonly outcome: 'void' }
  | { readonly outcome: 'already_checked_in'; readonly checkedInAt: Date }
  /** Record `checkedInAt` on the ticket: the scan admits it, or predates the scan that did. */
  | { readonly outcome: 'checked_in'; readonly checkedInAt: Date };

/**
 * An online scan at `at`: a valid ticket is admitted; a checked-in one is refused whatever the times say,
 * because someone already walked in with it. A ticket whose booking's refund is being requested until
 * `refundHeldUntil` counts as void: the money is on its way back.
 */
export function decideOnlineScan(state: TicketState, at: Date, refundHeldUntil?: Date): ScanDecision {
  if (state.status === 'void') return { outcome: 'void' };
  if (state.status === 'checked_in')
    return { outcome: 'already_checked_in', checkedInAt: checkedInAtOf(state) };
  if (refundHeldUntil !== undefined && refundHeldUntil.getTime() > at.getTime()) return { outcome: 'void' };
  return { outcome: 'checked_in', checkedInAt: at };
}

/**
 * An offline scan made at `scannedAt`, synced now. The device admitted the holder already; the record
 * keeps the earliest scan of the ticket, so a scan that predates the recorded check-in becomes it.
 */
export function decideOfflineScan(state: TicketState, scannedAt: Date): ScanDecision {
  if (state.status === 'void') return { outcome: 'void' };
  if (state.status === 'checked_in') {
    const recorded = checkedInAtOf(state);
    if (recorded.getTime() <= scannedAt.getTime())
      return { outcome: 'already_checked_in', checkedInAt: recorded };
  }
  return { outcome: 'checked_in', checkedInAt: scannedAt };
}

function checkedInAtOf(state: TicketState): Date {
  if (state.checkedInAt === undefined) throw new Error('A checked-in ticket has no check-in time.');
  return state.checkedInAt;
}
