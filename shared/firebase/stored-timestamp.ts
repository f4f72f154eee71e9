import { Timestamp } from 'firebase-admin/firestore';
import * as z from 'zod';

/** A stored Firestore `Timestamp`, read back as a `Date`; anything else fails the document's schema. */
export const storedTimestamp = z.instanceof(Timestamp).transform((value) => value.toDate());
