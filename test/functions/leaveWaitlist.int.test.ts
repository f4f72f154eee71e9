import { apiClient } from '../support/api-client';
import { callFunction } from '../support/http-client';
import { createRegisteredUser, type RoleUser } from '../support/roles';
import { problemType } from './booking-fixtures';
import { entryOf, joinOrFail, soldOutEvent } from './waitlist-fixtures';

function leave(user: RoleUser, entryId: string) {
  return apiClient(user.idToken).POST('/leaveWaitlist', { body: { entryId } });
}

describe('POST /leaveWaitlist', () => {
  it('leaves a waiting entry, moves those behind it up, and lets the user join again', async () => {
    const { event } = await soldOutEvent([1]);
    const first = await createRegisteredUser();
    const second = await createRegisteredUser();
    const firstEntry = await joinOrFail(first, event.id, 1);
    const secondEntry = await joinOrFail(second, event.id, 1);

    const { data, response } = await leave(first, firstEntry.id);

    expect(response.status).toBe(200);
    expect(data?.entry).toEqual({ ...firstEntry, status: 'left', position: undefined });
    expect(await entryOf(second, secondEntry.id)).toMatchObject({ status: 'waiting', position: 1 });
    expect((await joinOrFail(first, event.id, 1)).position).toBe(2);
  });

  it('answers 409 invalid-state for an entry that is not waiting, also when leaves race', async () => {
    const { event } = await soldOutEvent([1]);
    const user = await createRegisteredUser();
    const entry = await joinOrFail(user, event.id, 1);

    const answers = await Promise.all(Array.from({ length: 3 }, () => leave(user, entry.id)));

    expect(answers.filter((answer) => answer.response.status === 200)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.response.status !== 200)) {
      expect(answer.response.status).toBe(409);
      expect(answer.error?.type).toBe(problemType('invalid-state'));
    }
  });

  it("answers 404 for someone else's entry and an unknown one, and 400 for a malformed id", async () => {
    const { event } = await soldOutEvent([1]);
    const owner = await createRegisteredUser();
    const other = await createRegisteredUser();
    const entry = await joinOrFail(owner, event.id, 1);

    expect((await leave(other, entry.id)).response.status).toBe(404);
    expect((await leave(other, 'noSuchEntry1')).response.status).toBe(404);
    expect(
      (await callFunction('leaveWaitlist', { token: other.idToken, body: { entryId: 'a/b' } })).status,
    ).toBe(400);
    expect(await entryOf(owner, entry.id)).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('refuses to leave an offered entry: the offer is declined by cancelling its booking', async () => {
    const { event, holder, holds } = await soldOutEvent([1]);
    const user = await createRegisteredUser();
    const entry = await joinOrFail(user, event.id, 1);
    await apiClient(holder.idToken).POST('/cancelBooking', { body: { bookingId: holds[0]?.id ?? '' } });
    expect(await entryOf(user, entry.id)).toMatchObject({ status: 'offered' });

    const refused = await leave(user, entry.id);

    expect(refused.response.status).toBe(409);
    expect(refused.error?.type).toBe(problemType('invalid-state'));
    expect(refused.error?.detail).toMatch(/cancel its booking/);
  });
});
