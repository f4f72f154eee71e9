import { createEventAs } from '../support/events';
import { apiClient } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createCompanyAdmin, createRegisteredUser } from '../support/roles';
import { availableTickets, bookOrFail, lapseHold, storedStatus } from './booking-fixtures';

interface ReleaseCounts {
  examined: number;
  expired: number;
  alreadySettled: number;
  failed: number;
}

/** Raw: an internal function, which the OpenAPI document and so the typed client leave out. */
function releaseExpiredHolds() {
  return callFunction<ReleaseCounts>('releaseExpiredHolds', { method: 'POST' });
}

describe('POST /releaseExpiredHolds', () => {
  it('expires lapsed holds and returns their tickets exactly once, even when two runs race', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 10, surgeThreshold: 5 });
    const user = await createRegisteredUser();
    const lapsed = await bookOrFail(user, event.id, 3);
    const live = await bookOrFail(await createRegisteredUser(), event.id, 2);
    await lapseHold(lapsed);
    expect(await availableTickets(user, event.id)).toBe(5);

    const runs = await Promise.all([releaseExpiredHolds(), releaseExpiredHolds()]);
    for (const run of runs) {
      expect(run.status).toBe(200);
      expect(run.body).toEqual({
        examined: expect.any(Number),
        expired: expect.any(Number),
        alreadySettled: expect.any(Number),
        failed: 0,
      });
    }
    expect(await storedStatus(lapsed.id)).toBe('expired');
    expect(await storedStatus(live.id)).toBe('held');
    expect(await availableTickets(user, event.id)).toBe(8);

    await releaseExpiredHolds();
    expect(await availableTickets(user, event.id)).toBe(8);
  });

  it('leaves a hold alone that was cancelled before the run', async () => {
    const admin = await createCompanyAdmin();
    const event = await createEventAs(admin, { totalTickets: 4, surgeThreshold: 4 });
    const user = await createRegisteredUser();
    const booking = await bookOrFail(user, event.id, 2);
    await apiClient(user.idToken).POST('/cancelBooking', { body: { bookingId: booking.id } });
    await lapseHold(booking);
    await releaseExpiredHolds();
    expect(await storedStatus(booking.id)).toBe('cancelled');
    expect(await availableTickets(user, event.id)).toBe(4);
  });

  it('takes POST only', async () => {
    const response = await callFunction('releaseExpiredHolds', { method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
