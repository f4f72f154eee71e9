import { assertUnchangedSinceRead } from '../../../local/firestore/isolation';
import type { StoredDocument } from '../../../local/firestore/store';
import { parseWrite } from '../../../local/firestore/writes';

const DATABASE = 'projects/demo-isolation/databases/(default)';
const NAME = `${DATABASE}/documents/shards/base-0`;
const OTHER = `${DATABASE}/documents/shards/base-1`;

function storeWith(updateTime: bigint | undefined): { get(): StoredDocument | undefined } {
  return {
    get: () =>
      updateTime === undefined
        ? undefined
        : { path: ['shards', 'base-0'], fields: new Map(), createTime: 1n, updateTime },
  };
}

const write = (name: string) => parseWrite(DATABASE, { operation: 'update', update: { name, fields: {} } });

describe('assertUnchangedSinceRead (the emulator checking its own locks at every commit)', () => {
  it('lets a commit write what its transaction read, unchanged, and what it never read', () => {
    const transaction = { readVersions: new Map([[NAME, 5n]]) };
    expect(() => assertUnchangedSinceRead(transaction, [write(NAME)], storeWith(5n))).not.toThrow();
    expect(() => assertUnchangedSinceRead(transaction, [write(OTHER)], storeWith(9n))).not.toThrow();
    const readMissing = { readVersions: new Map([[NAME, undefined]]) };
    expect(() => assertUnchangedSinceRead(readMissing, [write(NAME)], storeWith(undefined))).not.toThrow();
  });

  it('refuses a commit that would overwrite a document changed, created or deleted since it was read', () => {
    const read = { readVersions: new Map([[NAME, 5n]]) };
    expect(() => assertUnchangedSinceRead(read, [write(NAME)], storeWith(6n))).toThrow(/Isolation broken/);
    expect(() => assertUnchangedSinceRead(read, [write(NAME)], storeWith(undefined))).toThrow(
      /Isolation broken/,
    );
    const readMissing = { readVersions: new Map([[NAME, undefined]]) };
    expect(() => assertUnchangedSinceRead(readMissing, [write(NAME)], storeWith(2n))).toThrow(
      /Isolation broken/,
    );
  });
});
