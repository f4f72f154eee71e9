import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createEventManagerClient,
  type Booking,
  type Event,
  type EventManagerClient,
} from '@event-manager/client';
import type { Middleware } from 'openapi-fetch';
import {
  applyEmailVerificationCode,
  AuthRestError,
  emailVerificationCode,
  refreshIdToken,
  sendEmailVerification,
  signInWithPassword,
  signUp,
} from '../auth/rest-client';
import { confirmLikePaymentSheet } from '../stripe/payment-sheet';
import {
  DEMO_ADMIN,
  DEMO_EVENT_MARK,
  DEMO_PASSWORD,
  DEMO_STAFF,
  DEMO_USERS,
  demoEvents,
  type DemoAccount,
} from './demo-data';

/** Where the local cloud that the demo plays against answers. */
export interface DemoTarget {
  /** Base URL of the functions, e.g. `http://127.0.0.1:5001`. */
  readonly functionsUrl: string;
  /** `host:port` of the Auth emulator. */
  readonly authAddress: string;
  /** The project of the local cloud, whose Auth emulator outbox holds the verification mails. */
  readonly projectId: string;
  /** Base URL of the Stripe sandbox. */
  readonly stripeUrl: string;
}

/** A demo account signed in, its ID token issued after registration (it carries the role claims). */
export interface DemoSession {
  readonly email: string;
  readonly uid: string;
  readonly idToken: string;
}

/** What the demo leaves behind. */
export interface DemoResult {
  readonly admin: DemoSession;
  /** The company's door staff, who checks the journey's ticket in. */
  readonly staff: DemoSession;
  readonly users: readonly DemoSession[];
  readonly events: readonly Event[];
  /** The buyer of the journey, signed up anew by every run. */
  readonly buyer: DemoSession;
  /** The journey's booking: paid, confirmed, with its tickets, as it was before the check-in. */
  readonly booking: Booking;
  /** Ready-to-paste commands with valid ID tokens of the demo accounts. */
  readonly curl: readonly string[];
}

const ALREADY_REGISTERED = 'https://errors.event-manager.dev/already-registered';
const INVITATION_PENDING = 'https://errors.event-manager.dev/invitation-pending';
const ALREADY_CHECKED_IN = 'https://errors.event-manager.dev/already-checked-in';
const LONGEST_LINE = 160;
const TICKET_POLLS = 100;
const TICKET_POLL_MS = 100;

/**
 * Creates the demo data (a company with its admin and door staff, users with known passwords, a dozen
 * events in two cities, two of them sold out) unless an earlier run did, then plays a buyer's journey
 * through the typed client, printing each request and its answer: sign in, register, create an event,
 * search, book, pay, confirm on the Stripe sandbox, wait for the webhook and the tickets, check a ticket in
 * at the door. Ends with curl commands.
 */
export async function runDemo(target: DemoTarget, print: (line: string) => void): Promise<DemoResult> {
  print('Demo data');
  const admin = await ensureRegistered(target, DEMO_ADMIN);
  const users = [];
  for (const account of DEMO_USERS) users.push(await ensureRegistered(target, account));
  const [buyer, , sellOutBuyer] = users;
  if (buyer === undefined || sellOutBuyer === undefined) throw new Error('the demo needs three users');
  print(`  company "${DEMO_ADMIN.registration.company?.name}", admin ${admin.email}`);
  const staff = await ensureStaff(target, admin, print);
  print(`  door staff ${staff.email}`);
  print(`  users ${users.map((user) => user.email).join(', ')}`);
  print(`  password of every demo account: ${DEMO_PASSWORD}`);
  const events = await ensureEvents(target, admin, sellOutBuyer, print);

  print('\nThe journey of a buyer, through the typed client (clients/typescript)');
  const journey = await playJourney(target, admin, print);
  await checkInAtTheDoor(target, staff, journey.booking, print);

  const open = events.find((event) => event.availableTickets > 0);
  const curl = curlCommands(target, { admin, staff, user: buyer }, open, journey.booking);
  print('\nTry it yourself (ID tokens valid for an hour; run `npm run demo` again for new ones):');
  for (const line of curl) print(line);
  return { admin, staff, users, events, buyer: journey.buyer, booking: journey.booking, curl };
}

/** A typed client of the demo target; `print` given, it prints every request and answer, shortened. */
function client(target: DemoTarget, token: string, print?: (line: string) => void): EventManagerClient {
  const api = createEventManagerClient({ baseUrl: target.functionsUrl, token });
  if (print !== undefined) api.use(printing(print));
  return api;
}

function printing(print: (line: string) => void): Middleware {
  return {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const body = request.body === null ? '' : ` ${await request.clone().text()}`;
      print(shorten(`  → ${request.method} ${url.pathname}${url.search}${body}`));
    },
    async onResponse({ response }) {
      print(shorten(`  ← ${response.status} ${await response.clone().text()}`));
    },
  };
}

function shorten(line: string): string {
  return line.length <= LONGEST_LINE ? line : `${line.slice(0, LONGEST_LINE - 1)}…`;
}

/** Signs the account in (signing it up first if the emulator does not know it) with its password. */
async function signIn(target: DemoTarget, email: string) {
  try {
    return await signUp(target.authAddress, email, DEMO_PASSWORD);
  } catch (error) {
    if (!(error instanceof AuthRestError && error.code === 'EMAIL_EXISTS')) throw error;
    return signInWithPassword(target.authAddress, email, DEMO_PASSWORD);
  }
}

/** Signs the account in and registers it unless an earlier run did; the token carries its role. */
async function ensureRegistered(target: DemoTarget, account: DemoAccount): Promise<DemoSession> {
  const session = await signIn(target, account.email);
  const { error, response } = await client(target, session.idToken).POST('/register', {
    body: account.registration,
  });
  if (response.status !== 201 && error?.type !== ALREADY_REGISTERED) {
    throw new Error(`register ${account.email} answered ${response.status}: ${JSON.stringify(error)}`);
  }
  const refreshed = await refreshIdToken(target.authAddress, session.refreshToken);
  return { email: account.email, uid: session.uid, idToken: refreshed.idToken };
}

/**
 * The demo company's door staff, unless an earlier run made them a member: joined as a real company's
 * would, printing each step. The admin invites the email; the person signs up (or in, after a run that
 * stopped half-way), verifies the email, since joining by invitation requires the `email_verified` claim,
 * finds the invitation and registers with it.
 */
async function ensureStaff(
  target: DemoTarget,
  admin: DemoSession,
  print: (line: string) => void,
): Promise<DemoSession> {
  const { email } = DEMO_STAFF;
  const team = await client(target, admin.idToken).GET('/companyMembers');
  if (team.data === undefined) throw new Error(`companyMembers answered ${team.response.status}`);
  if (team.data.members.some((member) => member.email === email)) {
    const session = await signInWithPassword(target.authAddress, email, DEMO_PASSWORD);
    return { email, uid: session.uid, idToken: session.idToken };
  }

  print('\n  The admin invites the door staff:');
  const invited = await client(target, admin.idToken, print).POST('/inviteMember', {
    body: { email, role: 'staff' },
  });
  if (invited.data === undefined && invited.error?.type !== INVITATION_PENDING) {
    throw new Error(`inviteMember answered ${invited.response.status}: ${JSON.stringify(invited.error)}`);
  }

  print(
    '\n  The staff member signs up and verifies the email (Auth emulator REST, as the Firebase SDK does):',
  );
  printAuthCall(print, target, 'identitytoolkit.googleapis.com/v1/accounts:signUp', {
    email,
    password: DEMO_PASSWORD,
    returnSecureToken: true,
  });
  const session = await signIn(target, email);
  printAuthCall(print, target, 'identitytoolkit.googleapis.com/v1/accounts:sendOobCode', {
    requestType: 'VERIFY_EMAIL',
    idToken: '…',
  });
  await sendEmailVerification(target.authAddress, session.idToken);
  print(
    `  → GET http://${target.authAddress}/emulator/v1/projects/${target.projectId}/oobCodes (the mail's code)`,
  );
  const oobCode = await emailVerificationCode(target.authAddress, target.projectId, email);
  printAuthCall(print, target, 'identitytoolkit.googleapis.com/v1/accounts:update', { oobCode });
  await applyEmailVerificationCode(target.authAddress, oobCode);
  const verified = await signInWithPassword(target.authAddress, email, DEMO_PASSWORD);
  print('  ← 200 signed in again: the new ID token carries email_verified true');

  print('\n  The staff member sees the invitation and registers with it:');
  const member = client(target, verified.idToken, print);
  const pending = await member.GET('/myInvitations');
  const invitation = pending.data?.invitations.find((candidate) => candidate.role === 'staff');
  if (invitation === undefined) {
    throw new Error(`myInvitations answered ${pending.response.status} without a staff invitation`);
  }
  const registered = await member.POST('/register', {
    body: { ...DEMO_STAFF.registration, invitationId: invitation.id },
  });
  if (registered.data === undefined) throw new Error(`register answered ${registered.response.status}`);
  const refreshed = await refreshIdToken(target.authAddress, verified.refreshToken);
  return { email, uid: verified.uid, idToken: refreshed.idToken };
}

/** The demo company's demo events: those of an earlier run, or a dozen new ones. */
async function ensureEvents(
  target: DemoTarget,
  admin: DemoSession,
  sellOutBuyer: DemoSession,
  print: (line: string) => void,
): Promise<Event[]> {
  const api = client(target, admin.idToken);
  const existing = await demoEventsOf(api);
  if (existing.length > 0) {
    print(`  ${existing.length} demo events from an earlier run, kept`);
    return existing;
  }
  const created: Event[] = [];
  for (const { body, soldOut } of demoEvents(new Date())) {
    const answer = await api.POST('/createEvent', { body });
    if (answer.data === undefined) throw new Error(`createEvent answered ${answer.response.status}`);
    if (soldOut) await buyOut(target, sellOutBuyer, answer.data.event);
    created.push(answer.data.event);
  }
  const events = await demoEventsOf(api);
  const soldOut = events.filter((event) => event.availableTickets === 0).length;
  print(`  ${created.length} demo events created in Munich and Berlin, ${soldOut} of them sold out`);
  return events;
}

/** Every future demo event of the admin's company (the search lists every company's), by start. */
async function demoEventsOf(api: EventManagerClient): Promise<Event[]> {
  const me = await api.GET('/me');
  const companyId = me.data?.user.companyId;
  if (companyId === undefined) throw new Error(`me answered ${me.response.status} without a company`);
  const events: Event[] = [];
  let cursor: string | undefined;
  do {
    const { data, response } = await api.GET('/searchEvents', {
      params: { query: { q: DEMO_EVENT_MARK, limit: '50', ...(cursor === undefined ? {} : { cursor }) } },
    });
    if (data === undefined) throw new Error(`searchEvents answered ${response.status}`);
    events.push(...data.events.filter((event) => event.companyId === companyId));
    cursor = data.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return events;
}

/** Books every ticket of the event and pays for them, so that it stays sold out. */
async function buyOut(target: DemoTarget, buyer: DemoSession, event: Event): Promise<Booking> {
  const booked = await client(target, buyer.idToken).POST('/book', {
    body: { eventId: event.id, quantity: event.totalTickets },
  });
  if (booked.data === undefined) throw new Error(`book answered ${booked.response.status}`);
  return payAndWaitForTickets(target, buyer.idToken, booked.data.booking);
}

/**
 * Pays a held booking with the sandbox's test card, as the Stripe payment sheet does in the app, and reads
 * the booking until the webhook has confirmed it and its tickets are issued. Prints the steps when given
 * `print`; of the reads only the last, as the others differ only in how far the webhook has got.
 */
async function payAndWaitForTickets(
  target: DemoTarget,
  token: string,
  booking: Booking,
  print?: (line: string) => void,
): Promise<Booking> {
  const paid = await client(target, token, print).POST('/pay', { body: { bookingId: booking.id } });
  if (paid.data === undefined) throw new Error(`pay answered ${paid.response.status}`);
  const { clientSecret, stripePaymentIntentId } = paid.data.payment;
  print?.(
    '\nThe app hands clientSecret to the Stripe payment sheet, which confirms the payment (the sandbox):',
  );
  print?.(
    `  → POST ${target.stripeUrl}/v1/payment_intents/${stripePaymentIntentId}/confirm ` +
      'payment_method=pm_card_visa',
  );
  const confirmed = await confirmLikePaymentSheet({ sandboxUrl: target.stripeUrl, clientSecret });
  if (!confirmed.ok) throw new Error(`the sandbox refused the payment: ${JSON.stringify(confirmed.error)}`);
  print?.(
    `  ← 200 status ${confirmed.paymentIntent.status}: Stripe sends payment_intent.succeeded to stripeWebhook`,
  );
  print?.('\nThe app reads the booking until the webhook confirmed it and its tickets are issued:');
  const api = client(target, token);
  for (let poll = 0; poll < TICKET_POLLS; poll += 1) {
    const { data } = await api.GET('/getBooking', { params: { query: { id: booking.id } } });
    if (data !== undefined && (data.booking.tickets?.length ?? 0) > 0) {
      if (print !== undefined) {
        await client(target, token, print).GET('/getBooking', { params: { query: { id: booking.id } } });
      }
      return data.booking;
    }
    await sleep(TICKET_POLL_MS);
  }
  throw new Error(`booking ${booking.id} got no tickets`);
}

/** Prints a call of the Auth emulator's REST API, as the Firebase SDK makes it, and its answer. */
function printAuthCall(print: (line: string) => void, target: DemoTarget, path: string, body: object): void {
  print(shorten(`  → POST http://${target.authAddress}/${path} ${JSON.stringify(body)}`));
}

/**
 * The journey: the admin signs in and creates an event; a new buyer signs up, registers, finds the event
 * near Munich, books two tickets, pays, and gets the tickets.
 */
async function playJourney(
  target: DemoTarget,
  admin: DemoSession,
  print: (line: string) => void,
): Promise<{ buyer: DemoSession; booking: Booking }> {
  print('\nThe admin signs in with email and password (Auth emulator REST, as the Firebase SDK does):');
  const credentials = { email: admin.email, password: DEMO_PASSWORD, returnSecureToken: true };
  printAuthCall(print, target, 'identitytoolkit.googleapis.com/v1/accounts:signInWithPassword', credentials);
  const adminSession = await signInWithPassword(target.authAddress, admin.email, DEMO_PASSWORD);
  print(`  ← 200 idToken ${adminSession.idToken.slice(0, 24)}… (role admin, company claim)`);

  print('\nThe admin creates an event:');
  const [template] = demoEvents(new Date());
  if (template === undefined) throw new Error('no demo event to copy');
  const created = await client(target, adminSession.idToken, print).POST('/createEvent', {
    body: {
      ...template.body,
      name: 'Demo Journey Concert',
      description: 'Created by the journey of `npm run demo`.',
      totalTickets: 50,
      surgeThreshold: 40,
    },
  });
  if (created.data === undefined) throw new Error(`createEvent answered ${created.response.status}`);
  const event = created.data.event;

  const email = `buyer-${randomUUID().slice(0, 8)}@demo-events.example.com`;
  print('\nA new buyer signs up (Auth emulator REST):');
  printAuthCall(print, target, 'identitytoolkit.googleapis.com/v1/accounts:signUp', {
    email,
    password: DEMO_PASSWORD,
    returnSecureToken: true,
  });
  const signedUp = await signUp(target.authAddress, email, DEMO_PASSWORD);
  print(`  ← 200 localId ${signedUp.uid}, an ID token without role`);

  print('\nThe buyer registers, then refreshes the ID token, which now carries the role claim:');
  const registration = await client(target, signedUp.idToken, print).POST('/register', {
    body: {
      name: 'Demo Buyer',
      username: `demo_buyer_${email.slice(6, 14)}`,
      countryCode: 'DE',
      phoneNumber: '+49 89 7654321',
      role: 'user',
    },
  });
  if (registration.data === undefined) throw new Error(`register answered ${registration.response.status}`);
  printAuthCall(print, target, 'securetoken.googleapis.com/v1/token', {
    grant_type: 'refresh_token',
    refresh_token: '…',
  });
  const buyer = await refreshIdToken(target.authAddress, signedUp.refreshToken);
  print('  ← 200 a new id_token with role user');
  const api = client(target, buyer.idToken, print);

  print('\nThe buyer searches for concerts with tickets left within 10 km of Munich:');
  const { lat, lng } = event.location;
  const found = await api.GET('/searchEvents', {
    params: {
      query: {
        q: 'journey concert',
        lat: String(lat),
        lng: String(lng),
        radiusKm: '10',
        onlyAvailable: 'true',
      },
    },
  });
  if (!found.data?.events.some((candidate) => candidate.id === event.id)) {
    throw new Error('the search did not find the event just created');
  }

  print('\nThe buyer books two tickets (the Idempotency-Key makes a retry safe):');
  const booked = await api.POST('/book', {
    params: { header: { 'Idempotency-Key': randomUUID() } },
    body: { eventId: event.id, quantity: 2 },
  });
  if (booked.data === undefined) throw new Error(`book answered ${booked.response.status}`);

  print('\nThe buyer pays: the backend creates a Stripe PaymentIntent and returns its client secret:');
  const paid = await payAndWaitForTickets(target, buyer.idToken, booked.data.booking, print);
  print(
    `\nBooking ${paid.id}: ${paid.status}, tickets ${paid.tickets?.map((ticket) => ticket.code).join(', ')}`,
  );
  return { buyer: { email, uid: buyer.uid, idToken: buyer.idToken }, booking: paid };
}

/**
 * At the door: the staff app fetches the keys that verify ticket QR codes offline, checks the booking's first
 * ticket in by its `qr`, is refused a second scan of it, and downloads the manifest an offline door caches.
 */
async function checkInAtTheDoor(
  target: DemoTarget,
  staff: DemoSession,
  booking: Booking,
  print: (line: string) => void,
): Promise<void> {
  const door = client(target, staff.idToken, print);
  const qr = booking.tickets?.[0]?.qr;
  if (qr === undefined) throw new Error(`booking ${booking.id} has no signed ticket to check in`);

  print(`\nAt the door, ${staff.email} (staff) fetches the public keys that verify QR codes offline:`);
  await door.GET('/ticketKeys');

  print("\nThe staff member scans the buyer's first ticket (its QR code):");
  const scan = { eventId: booking.eventId, code: qr };
  const checkedIn = await door.POST('/checkIn', { body: scan });
  if (checkedIn.data === undefined) throw new Error(`checkIn answered ${checkedIn.response.status}`);

  print('\nA second scan of the same ticket is refused:');
  const again = await door.POST('/checkIn', { body: scan });
  if (again.error?.type !== ALREADY_CHECKED_IN) {
    throw new Error(`a second checkIn answered ${again.response.status}: ${JSON.stringify(again.error)}`);
  }

  print('\nA door device downloads the check-in manifest of the event, to check tickets in offline:');
  const manifest = await door.GET('/checkInManifest', { params: { query: { eventId: booking.eventId } } });
  if (manifest.data === undefined) throw new Error(`checkInManifest answered ${manifest.response.status}`);
}

/**
 * Commands to paste into a shell, with the ID tokens of the demo admin, staff and first user; the check-in
 * command scans the journey's ticket that the door has not checked in yet.
 */
function curlCommands(
  target: DemoTarget,
  accounts: { admin: DemoSession; staff: DemoSession; user: DemoSession },
  event: Event | undefined,
  journey: Booking,
): string[] {
  const { admin, staff, user } = accounts;
  const eventId = event?.id ?? '<eventId>';
  const unscanned = journey.tickets?.[1]?.code ?? '<ticket code>';
  const bearer = (variable: string) => `-H "Authorization: Bearer $${variable}"`;
  return [
    `export API=${target.functionsUrl}`,
    `export ADMIN_TOKEN=${admin.idToken}`,
    `export USER_TOKEN=${user.idToken}`,
    `export STAFF_TOKEN=${staff.idToken}`,
    `curl -s "$API/me" ${bearer('USER_TOKEN')}`,
    `curl -s "$API/searchEvents?lat=48.1374&lng=11.5755&radiusKm=25&onlyAvailable=true" ${bearer('USER_TOKEN')}`,
    `curl -s -X POST "$API/book" ${bearer('USER_TOKEN')} -H 'Content-Type: application/json' ` +
      `-d '{"eventId":"${eventId}","quantity":1}'`,
    `curl -s "$API/myBookings" ${bearer('USER_TOKEN')}`,
    `curl -s "$API/eventSales?id=${eventId}" ${bearer('ADMIN_TOKEN')}`,
    `curl -s -X POST "$API/checkIn" ${bearer('STAFF_TOKEN')} -H 'Content-Type: application/json' ` +
      `-d '{"eventId":"${journey.eventId}","code":"${unscanned}"}'`,
    `# a fresh ID token for ${user.email} (any demo account, password ${DEMO_PASSWORD}):`,
    `curl -s -X POST 'http://${target.authAddress}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any' ` +
      `-H 'Content-Type: application/json' ` +
      `-d '{"email":"${user.email}","password":"${DEMO_PASSWORD}","returnSecureToken":true}'`,
  ];
}
