import { runDemo, type DemoTarget } from '../../../local/demo/demo';
import { apiClient } from '../../support/api-client';
import { localCloudEnvironment } from '../../support/environment';
import { stripeSandboxUrl } from '../../functions/booking-fixtures';

function target(): DemoTarget {
  const { functionsUrl, authAddress, projectId } = localCloudEnvironment();
  return { functionsUrl, authAddress, projectId, stripeUrl: stripeSandboxUrl() };
}

describe('npm run demo', () => {
  it('seeds the demo data once, staff included, and ends both runs with a ticket checked in and working curl commands', async () => {
    const lines: string[] = [];
    const first = await runDemo(target(), (line) => lines.push(line));

    expect(first.booking).toMatchObject({ status: 'confirmed', quantity: 2 });
    expect(first.booking.tickets).toHaveLength(2);
    expect(first.events).toHaveLength(12);
    expect(first.events.filter((event) => event.availableTickets === 0)).toHaveLength(2);
    expect(new Set(first.events.map((event) => Math.round(event.location.lat)))).toEqual(new Set([48, 53]));
    expect(lines.some((line) => line.startsWith('  → POST /inviteMember {"email":"door@'))).toBe(true);
    expect(
      lines.some((line) => line.startsWith('  → POST /register {') && line.includes('"invitationId"')),
    ).toBe(true);
    expect(lines.some((line) => line.startsWith('  ← 200 {"ticket":') && line.includes('"checked_in"'))).toBe(
      true,
    );
    expect(lines.some((line) => line.startsWith('  ← 409 ') && line.includes('already-checked-in'))).toBe(
      true,
    );
    expect(lines.some((line) => line.startsWith('  ← 200 {"tickets":['))).toBe(true);
    expect(lines.some((line) => line.startsWith('  → POST /book {"eventId":'))).toBe(true);
    expect(lines.some((line) => line.startsWith('  ← 201 {"booking":'))).toBe(true);

    const second = await runDemo(target(), () => undefined);
    expect(second.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(second.admin.uid).toBe(first.admin.uid);
    expect(second.staff.uid).toBe(first.staff.uid);
    expect(second.booking.tickets).toHaveLength(2);
    expect(second.booking.id).not.toBe(first.booking.id);

    // The printed token works: the first user's profile answers through it.
    const token = /^export USER_TOKEN=(.+)$/m.exec(second.curl.join('\n'))?.[1];
    const me = await apiClient(token).GET('/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.user.email).toBe(second.users[0]?.email);

    // The staff account is a member of the demo company with the role staff; its printed token works.
    const staffToken = /^export STAFF_TOKEN=(.+)$/m.exec(second.curl.join('\n'))?.[1];
    const staff = await apiClient(staffToken).GET('/me');
    const admin = await apiClient(second.admin.idToken).GET('/me');
    expect(staff.data?.user).toMatchObject({ email: 'door@demo-events.example.com', role: 'staff' });
    expect(staff.data?.user.companyId).toBe(admin.data?.user.companyId);

    // The door checked the buyer's first ticket in, and only that one.
    for (const run of [first, second]) {
      const read = await apiClient(run.buyer.idToken).GET('/getBooking', {
        params: { query: { id: run.booking.id } },
      });
      expect(read.data?.booking.tickets?.map((ticket) => ticket.status)).toEqual(['checked_in', 'valid']);
    }
  }, 180_000);
});
