import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import * as z from 'zod';
import { entityConverter } from '../../../shared/firebase/entity-converter';
import { storedTimestamp } from '../../../shared/firebase/stored-timestamp';
import { adminFirestore } from '../../support/firestore-admin';

interface Note {
  readonly id: string;
  readonly text: string;
  readonly createdAt: Date;
}

const noteConverter = entityConverter<Note>(
  z.object({ id: z.string(), text: z.string(), createdAt: storedTimestamp }),
  ({ id: _id, createdAt, ...fields }) => ({ ...fields, createdAt: Timestamp.fromDate(createdAt) }),
);

const db = adminFirestore();

describe('entityConverter', () => {
  it('stores the entity without its id and reads it back with the id from the document name', async () => {
    const notes = db.collection(`notes-${randomUUID()}`);
    const note: Note = { id: 'n1', text: 'hello', createdAt: new Date('2026-11-26T12:00:00.000Z') };
    await notes.withConverter(noteConverter).doc(note.id).set(note);
    expect((await notes.doc('n1').get()).data()).toEqual({
      text: 'hello',
      createdAt: Timestamp.fromDate(note.createdAt),
    });
    expect((await notes.withConverter(noteConverter).doc('n1').get()).data()).toEqual(note);
  });

  it('fails loudly on a document that does not have the stored shape', async () => {
    const notes = db.collection(`notes-${randomUUID()}`);
    await notes.doc('bad').set({ text: 42, createdAt: 'yesterday' });
    const snapshot = await notes.withConverter(noteConverter).doc('bad').get();
    expect(() => snapshot.data()).toThrow(z.ZodError);
  });
});
