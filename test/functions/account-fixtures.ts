import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { apiClient, expectData } from '../support/api-client';
import { createSignedInUser } from '../support/auth-users';
import { adminFirestore } from '../support/firestore-admin';
import { createCompanyAdmin, type CompanyAdmin, type RoleUser } from '../support/roles';
import type { EventJson } from '../support/events';
import { bookOrFail, payOrFail, type BookingJson } from './booking-fixtures';
import { doorEvent } from './check-in-fixtures';

/** A user who registered through `register`, with a token carrying the role claim, and their details. */
export interface RegisteredPerson extends RoleUser {
  readonly username: string;
  readonly name: string;
  readonly phoneNumber: string;
}

/** The details of a company as an admin registers it. */
export const exampleCompany = {
  name: 'Acme Events',
  address: '1 Main Street, London',
  email: 'ops@acme.test',
  countryCode: 'GB',
  phoneNumber: '+44 20 7946 0001',
  registrationNumber: 'GB-123456',
};

/** A username no other test uses. */
export function uniqueUsername(): string {
  return `acct_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/** Signs up and registers a normal user through the API, as the app does. */
export async function registerPerson(username = uniqueUsername()): Promise<RegisteredPerson> {
  const account = await createSignedInUser();
  const name = 'Ada Lovelace';
  const phoneNumber = '+44 20 7946 0000';
  const body = { name, username, countryCode: 'GB', phoneNumber, role: 'user' as const };
  expectData(await apiClient(account.idToken).POST('/register', { body }), 201);
  return { ...account, idToken: await account.refresh(), username, name, phoneNumber };
}

/** Calls `deleteAccount` as the app does, with the confirmation word. */
export function deleteAccount(token: string) {
  return apiClient(token).POST('/deleteAccount', { body: { confirm: 'DELETE' } });
}

/**
 * Stores a push device (with its ownership index entry) and one inbox notification for the user, as the
 * notification work stores them.
 */
export async function seedPushData(uid: string): Promise<{ tokenId: string; notificationId: string }> {
  const db = adminFirestore();
  const tokenId = randomUUID().replaceAll('-', '');
  const notificationId = randomUUID().replaceAll('-', '').slice(0, 27);
  const user = db.collection('users').doc(uid);
  await Promise.all([
    user
      .collection('devices')
      .doc(tokenId)
      .set({ platform: 'ios', fcmToken: `fcm-${tokenId}`, registeredAt: Timestamp.now() }),
    db.collection('deviceTokens').doc(tokenId).set({ uid }),
    user
      .collection('notifications')
      .doc(notificationId)
      .set({ type: 'booking.expired', eventId: 'e1', createdAt: Timestamp.now(), data: {} }),
  ]);
  return { tokenId, notificationId };
}

/** A registered person holding `quantity` tickets of a fresh event, with a payment attempt open for them. */
export interface PayingPerson {
  readonly admin: CompanyAdmin;
  readonly event: EventJson;
  readonly person: RegisteredPerson;
  readonly booking: BookingJson;
  readonly payment: { readonly id: string };
}

/** Registers a person, who holds `quantity` tickets of a new event of a new company and starts paying. */
export async function payingPerson(quantity: number): Promise<PayingPerson> {
  const admin = await createCompanyAdmin();
  const event = await doorEvent(admin);
  const person = await registerPerson();
  const booking = await bookOrFail(person, event.id, quantity);
  const payment = await payOrFail(person, booking.id);
  return { admin, event, person, booking, payment };
}
