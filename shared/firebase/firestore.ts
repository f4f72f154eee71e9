import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { firebaseApp } from './app';

/** The process-wide Firestore client (Admin SDK), created on first use. */
export function firestore(): Firestore {
  return getFirestore(firebaseApp());
}
