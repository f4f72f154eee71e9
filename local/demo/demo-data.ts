import type { operations } from '@event-manager/client';

type RegisterBody = operations['register']['requestBody']['content']['application/json'];
type CreateEventBody = operations['createEvent']['requestBody']['content']['application/json'];

/** The password of every demo account, printed by the demo: these accounts exist only in the emulator. */
export const DEMO_PASSWORD = 'demo-password';

/** A demo account: its Auth emulator email and the body it registers with. */
export interface DemoAccount {
  readonly email: string;
  readonly registration: RegisterBody;
}

/** The admin of the demo company, who creates the demo events. */
export const DEMO_ADMIN: DemoAccount = {
  email: 'admin@demo-events.example.com',
  registration: {
    name: 'Dana Admin',
    username: 'demo_admin',
    countryCode: 'DE',
    phoneNumber: '+49 89 1234567',
    role: 'admin',
    company: {
      name: 'Demo Events GmbH',
      address: 'Marienplatz 1, 80331 München',
      email: 'ops@demo-events.example.com',
      countryCode: 'DE',
      phoneNumber: '+49 89 1234560',
      registrationNumber: 'HRB 000001',
    },
  },
};

/**
 * The demo company's door staff: joins by the admin's invitation, so its registration gets the
 * `invitationId` at run time.
 */
export const DEMO_STAFF: DemoAccount = {
  email: 'door@demo-events.example.com',
  registration: {
    name: 'Sam Door',
    username: 'demo_staff',
    countryCode: 'DE',
    phoneNumber: '+49 89 1234568',
    role: 'staff',
  },
};

/** The demo's buyers: the first plays the journey, the last buys the sold-out events out. */
export const DEMO_USERS: readonly DemoAccount[] = [
  user('alice', 'Alice Example', '+49 30 1111111'),
  user('bob', 'Bob Example', '+49 30 2222222'),
  user('carol', 'Carol Example', '+49 89 3333333'),
];

function user(handle: string, name: string, phoneNumber: string): DemoAccount {
  return {
    email: `${handle}@demo-events.example.com`,
    registration: { name, username: `demo_${handle}`, countryCode: 'DE', phoneNumber, role: 'user' },
  };
}

/** The word every demo event's description carries, so that a second run finds them instead of adding more. */
export const DEMO_EVENT_MARK = 'demodata';

const MUNICH = { lat: 48.1374, lng: 11.5755 };
const BERLIN = { lat: 52.52, lng: 13.405 };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A demo event, and whether the seeding buys all its tickets (sold out). */
export interface DemoEvent {
  readonly body: CreateEventBody;
  readonly soldOut: boolean;
}

/** A point about `km` east and `northKm` north of `centre`, to spread events over a city. */
function near(centre: { lat: number; lng: number }, eastKm: number, northKm: number) {
  const kmPerDegreeLat = 111.32;
  const kmPerDegreeLng = kmPerDegreeLat * Math.cos((centre.lat * Math.PI) / 180);
  return {
    lat: Number((centre.lat + northKm / kmPerDegreeLat).toFixed(5)),
    lng: Number((centre.lng + eastKm / kmPerDegreeLng).toFixed(5)),
  };
}

/**
 * A dozen events around Munich and Berlin with varied prices, dates and sizes, starting `days` after `now`
 * at 20:00 UTC; two small ones are to be sold out.
 */
export function demoEvents(now: Date): DemoEvent[] {
  const at = (days: number) => {
    const start = new Date(now.getTime() + days * DAY_MS);
    start.setUTCHours(19, 0, 0, 0);
    return start.toISOString();
  };
  const event = (
    name: string,
    venue: string,
    location: { lat: number; lng: number },
    days: number,
    prices: { totalTickets: number; basePrice: number; surgePrice: number; surgeThreshold: number },
    soldOut = false,
  ): DemoEvent => ({
    soldOut,
    body: {
      name,
      description: `${name} at ${venue} (${DEMO_EVENT_MARK}).`,
      startsAt: at(days),
      venue,
      location,
      currency: 'EUR',
      ...prices,
      ...(soldOut ? { maxTicketsPerBooking: prices.totalTickets } : {}),
    },
  });
  return [
    event('Jazz Night', 'Blue Note Munich', near(MUNICH, 0.4, 0.2), 3, price(120, 2500, 4000, 100)),
    event('Opera Gala', 'State Opera', near(MUNICH, 0.2, 0.1), 10, price(800, 8900, 12900, 600)),
    event('Indie Rock Evening', 'Backstage', near(MUNICH, -3.5, 1.0), 6, price(300, 3200, 3900, 250)),
    event(
      'Comedy Club',
      'Lach- und Schießgesellschaft',
      near(MUNICH, 1.0, 2.5),
      1,
      price(4, 1800, 1800, 4),
      true,
    ),
    event(
      'Chamber Music Matinee',
      'Prinzregententheater',
      near(MUNICH, 2.5, 0.3),
      20,
      price(250, 4500, 5500, 200),
    ),
    event('Techno Open Air', 'Olympiapark', near(MUNICH, -1.0, 4.0), 45, price(5000, 3900, 5900, 4000)),
    event(
      'Philharmonic Concert',
      'Philharmonie Berlin',
      near(BERLIN, -2.5, -0.5),
      4,
      price(1200, 5900, 7900, 1000),
    ),
    event('Club Night', 'Kreuzberg Club', near(BERLIN, 2.0, -1.5), 2, price(6, 1500, 2000, 3), true),
    event('Theatre Premiere', 'Berliner Ensemble', near(BERLIN, -0.5, 0.3), 14, price(600, 4200, 4200, 600)),
    event('Poetry Slam', 'Admiralspalast', near(BERLIN, 0.0, 0.5), 7, price(80, 900, 1200, 60)),
    event('Electronic Live Set', 'Tempodrom', near(BERLIN, 0.5, -2.0), 30, price(3000, 4900, 6900, 2500)),
    event('Stand-up Special', 'Tipi am Kanzleramt', near(BERLIN, -1.5, 0.8), 60, price(500, 2900, 3500, 400)),
  ];
}

function price(totalTickets: number, basePrice: number, surgePrice: number, surgeThreshold: number) {
  return { totalTickets, basePrice, surgePrice, surgeThreshold };
}
