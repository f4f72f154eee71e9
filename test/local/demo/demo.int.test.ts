import { runDemo, type DemoTarget } from '../../../local/demo/demo';
import { apiClient } from '../../support/api-client';
import { localCloudEnvironment } from '../../support/environment';
import { stripeSandboxUrl } from '../../functions/booking-fixtures';

function target(): DemoTarget {
  const { functionsUrl, authAddress } = localCloudEnvironment();
  return { functionsUrl, authAddress, stripeUrl: stripeSandboxUrl() };
}

describe('npm run demo', () => {
  it('seeds the demo data once and ends both runs with a paid booking with tickets and working curl commands', async () => {
    const lines: string[] = [];
    const first = await runDemo(target(), (line) => lines.push(line));

    expect(first.booking).toMatchObject({ status: 'confirmed', quantity: 2 });
    expect(first.booking.tickets).toHaveLength(2);
    expect(first.events).toHaveLength(12);
    expect(first.events.filter((event) => event.availableTickets === 0)).toHaveLength(2);
    expect(new Set(first.events.map((event) => Math.round(event.location.lat)))).toEqual(new Set([48, 53]));
    expect(lines).toContain('  no staff account: the staff role (API version 2) is not implemented yet');
    expect(lines.some((line) => line.startsWith('  → POST /book {"eventId":'))).toBe(true);
    expect(lines.some((line) => line.startsWith('  ← 201 {"booking":'))).toBe(true);

    const second = await runDemo(target(), () => undefined);
    expect(second.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(second.admin.uid).toBe(first.admin.uid);
    expect(second.booking.tickets).toHaveLength(2);
    expect(second.booking.id).not.toBe(first.booking.id);

    // The printed token works: the first user's profile answers through it.
    const token = /^export USER_TOKEN=(.+)$/m.exec(second.curl.join('\n'))?.[1];
    const me = await apiClient(token).GET('/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.user.email).toBe(second.users[0]?.email);
  }, 180_000);
});
