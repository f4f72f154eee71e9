import { createSignedInUser } from '../support/auth-users';
import { localCloudEnvironment } from '../support/environment';
import { adminAuth } from '../support/firestore-admin';

describe('Auth emulator of the local cloud', () => {
  it('issues ID tokens that firebase-admin verifies', async () => {
    const user = await createSignedInUser();

    const decoded = await adminAuth().verifyIdToken(user.idToken);

    expect(decoded).toMatchObject({ uid: user.uid, email: user.email, aud: process.env.GCLOUD_PROJECT });
  });

  it('puts custom claims into the tokens minted after they were set', async () => {
    const user = await createSignedInUser();
    await adminAuth().setCustomUserClaims(user.uid, { role: 'user' });

    const refreshed = await adminAuth().verifyIdToken(await user.refresh());

    expect(refreshed.role).toBe('user');
    expect((await adminAuth().verifyIdToken(user.idToken)).role).toBeUndefined();
  });

  it('gives every user a distinct email', async () => {
    const [first, second] = await Promise.all([createSignedInUser(), createSignedInUser()]);

    expect(first.email).not.toBe(second.email);
    expect(first.uid).not.toBe(second.uid);
  });

  it('validates requests against its API schemas, compiled on first use', async () => {
    const { authAddress } = localCloudEnvironment();

    const response = await fetch(
      `http://${authAddress}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=k`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: { not: 'a string' }, password: 'correct-horse' }),
      },
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: 'Invalid JSON payload received. /email must be string' },
    });
  });
});
