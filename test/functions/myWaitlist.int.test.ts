import { apiClient } from '../support/api-client';
import { adminFirestore } from '../support/firestore-admin';
import { Timestamp } from 'firebase-admin/firestore';
import { createRegisteredUser } from '../support/roles';
import { joinOrFail, myEntries, soldOutEvent } from './waitlist-fixtures';

describe('GET /myWaitlist', () => {
  it("lists the caller's own entries of the last 90 days, newest first, positions only while waiting", async () => {
    const older = await soldOutEvent([1]);
    const newer = await soldOutEvent([1]);
    const stale = await soldOutEvent([1]);
    const user = await createRegisteredUser();
    const other = await createRegisteredUser();
    await joinOrFail(other, older.event.id, 1);
    const first = await joinOrFail(user, older.event.id, 1);
    const second = await joinOrFail(user, newer.event.id, 1);
    const ancient = await joinOrFail(user, stale.event.id, 1);
    await adminFirestore()
      .collection('waitlistEntries')
      .doc(ancient.id)
      .update({ createdAt: Timestamp.fromMillis(Date.now() - 91 * 24 * 3600 * 1000) });
    await apiClient(user.idToken).POST('/leaveWaitlist', { body: { entryId: second.id } });

    const entries = await myEntries(user);

    expect(entries).toEqual([
      { ...second, status: 'left', position: undefined },
      { ...first, position: 2 },
    ]);
    expect(entries.every((entry) => entry.userId === user.uid)).toBe(true);
  });

  it('answers an empty list to a user who never waited', async () => {
    expect(await myEntries(await createRegisteredUser())).toEqual([]);
  });
});
