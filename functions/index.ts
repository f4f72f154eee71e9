import type { RegisteredFunction } from '../shared/http/registered-function';
import { book } from './book';
import { checkIn } from './checkIn';
import { checkInManifest } from './checkInManifest';
import { companyMembers } from './companyMembers';
import { cancelBooking } from './cancelBooking';
import { cancelEvent } from './cancelEvent';
import { createEvent } from './createEvent';
import { deleteAccount } from './deleteAccount';
import { deliverUserNotification } from './deliverUserNotification';
import { eventSales } from './eventSales';
import { exportMyData } from './exportMyData';
import { fanOutNotifications } from './fanOutNotifications';
import { getBooking } from './getBooking';
import { getEvent } from './getEvent';
import { inviteMember } from './inviteMember';
import { issueTickets } from './issueTickets';
import { joinWaitlist } from './joinWaitlist';
import { leaveWaitlist } from './leaveWaitlist';
import { me } from './me';
import { myBookings } from './myBookings';
import { myInvitations } from './myInvitations';
import { myNotifications } from './myNotifications';
import { myWaitlist } from './myWaitlist';
import { offerWaitlistTickets } from './offerWaitlistTickets';
import { pay } from './pay';
import { reconcileInventory } from './reconcileInventory';
import { reconcileTickets } from './reconcileTickets';
import { register } from './register';
import { registerDevice } from './registerDevice';
import { releaseExpiredHolds } from './releaseExpiredHolds';
import { removeMember } from './removeMember';
import { revokeInvitation } from './revokeInvitation';
import { runEventCancellations } from './runEventCancellations';
import { searchEvents } from './searchEvents';
import { stripeWebhook } from './stripeWebhook';
import { sweepOutbox } from './sweepOutbox';
import { syncCheckIns } from './syncCheckIns';
import { ticketKeys } from './ticketKeys';
import { unregisterDevice } from './unregisterDevice';
import { updateEvent } from './updateEvent';

/**
 * The single registry of functions. Importing this module registers every function with the
 * functions-framework (each `functions/<name>.ts` registers itself once when loaded); production loads one
 * entry file per bundle instead.
 */
export const functionRegistry: readonly RegisteredFunction[] = [
  register,
  me,
  inviteMember,
  myInvitations,
  revokeInvitation,
  companyMembers,
  removeMember,
  exportMyData,
  deleteAccount,
  createEvent,
  updateEvent,
  cancelEvent,
  getEvent,
  searchEvents,
  book,
  getBooking,
  myBookings,
  cancelBooking,
  releaseExpiredHolds,
  pay,
  stripeWebhook,
  issueTickets,
  sweepOutbox,
  reconcileTickets,
  eventSales,
  reconcileInventory,
  runEventCancellations,
  ticketKeys,
  checkIn,
  checkInManifest,
  syncCheckIns,
  joinWaitlist,
  myWaitlist,
  leaveWaitlist,
  offerWaitlistTickets,
  registerDevice,
  unregisterDevice,
  myNotifications,
  deliverUserNotification,
  fanOutNotifications,
];
