import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { localsOf, readTerraformModule, REPO_ROOT } from '../../scripts/lib/terraform-config';
import { ACCOUNT_DELETIONS_COLLECTION } from '../../shared/accounts/account-deletion-repository';
import { IDEMPOTENCY_COLLECTION } from '../../shared/bookings/idempotency-store';
import { RATE_LIMIT_COLLECTION } from '../../shared/rate-limits/firestore-rate-limit-store';

// What terraform/firestore.tf knows how to turn into resources; anything else in the file must fail here,
// offline, rather than be dropped or rejected at apply time.
const indexFieldSchema = z.union([
  z.strictObject({ fieldPath: z.string(), order: z.enum(['ASCENDING', 'DESCENDING']) }),
  z.strictObject({ fieldPath: z.string(), arrayConfig: z.literal('CONTAINS') }),
]);
const queryScope = z.enum(['COLLECTION', 'COLLECTION_GROUP']);
const indexFileSchema = z.strictObject({
  indexes: z.array(
    z.strictObject({
      collectionGroup: z.string(),
      queryScope: queryScope.optional(),
      fields: z.array(indexFieldSchema).min(2),
    }),
  ),
  fieldOverrides: z
    .array(
      z.strictObject({
        collectionGroup: z.string(),
        fieldPath: z.string(),
        ttl: z.boolean().optional(),
        indexes: z
          .array(
            z.union([
              z.strictObject({
                queryScope: queryScope.optional(),
                order: z.enum(['ASCENDING', 'DESCENDING']),
              }),
              z.strictObject({ queryScope: queryScope.optional(), arrayConfig: z.literal('CONTAINS') }),
            ]),
          )
          .optional(),
      }),
    )
    .optional(),
});
type IndexFile = z.infer<typeof indexFileSchema>;

const firebaseJsonSchema = z.looseObject({
  firestore: z.looseObject({ rules: z.string(), indexes: z.string() }),
});

let indexFile: IndexFile;
let firebaseJson: z.infer<typeof firebaseJsonSchema>;
let firestoreLocals: Record<string, unknown>;
let rulesTf: string;

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(join(REPO_ROOT, file), 'utf8'));
}

beforeAll(async () => {
  indexFile = indexFileSchema.parse(await readJson('firestore.indexes.json'));
  firebaseJson = firebaseJsonSchema.parse(await readJson('firebase.json'));
  const terraform = await readTerraformModule();
  firestoreLocals = localsOf(terraform.get('firestore.tf')?.json);
  rulesTf = terraform.get('rules.tf')?.text ?? '';
});

/** The for_each key terraform/firestore.tf gives a composite index; Terraform refuses duplicates. */
function indexKey(index: IndexFile['indexes'][number]): string {
  const fields = index.fields.map(
    (field) => `${field.fieldPath}:${'order' in field ? field.order : field.arrayConfig}`,
  );
  return [index.collectionGroup, index.queryScope ?? 'COLLECTION', ...fields].join(' ');
}

describe('Firestore indexes in Terraform', () => {
  it('are read from the firestore.indexes.json that firebase.json deploys, so they cannot drift', () => {
    expect(firebaseJson.firestore.indexes).toBe('firestore.indexes.json');
    expect(firestoreLocals['firestore_index_file']).toBe(
      '${jsondecode(file("${path.module}/../firestore.indexes.json"))}',
    );
    expect(firestoreLocals['composite_indexes']).toContain('in local.firestore_index_file.indexes');
    expect(firestoreLocals['field_overrides']).toContain('local.firestore_index_file.fieldOverrides');
  });

  it('each become one resource: no two indexes share a key', () => {
    const keys = indexFile.indexes.map(indexKey);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
    const overrides = (indexFile.fieldOverrides ?? []).map((o) => `${o.collectionGroup}.${o.fieldPath}`);
    expect(new Set(overrides).size).toBe(overrides.length);
  });
});

describe('Firestore security rules in Terraform', () => {
  it('are the firestore.rules that firebase.json deploys', () => {
    expect(firebaseJson.firestore.rules).toBe('firestore.rules');
    expect(rulesTf).toContain('content = file("${path.module}/../firestore.rules")');
    expect(rulesTf).toContain('name         = "cloud.firestore"');
  });
});

describe('Firestore TTL policies', () => {
  it('expire idempotency keys, rate limit windows, finished account deletions and inbox entries, on the field their stores write', () => {
    expect(firestoreLocals['ttl_policies']).toEqual({
      [IDEMPOTENCY_COLLECTION]: 'expiresAt',
      [RATE_LIMIT_COLLECTION]: 'expiresAt',
      [ACCOUNT_DELETIONS_COLLECTION]: 'expiresAt',
      notifications: 'expiresAt',
    });
  });

  it('never configure a field that firestore.indexes.json configures too', () => {
    const ttlFields = Object.entries(firestoreLocals['ttl_policies'] as Record<string, string>).map(
      ([collection, field]) => `${collection}.${field}`,
    );
    const overrides = (indexFile.fieldOverrides ?? []).map((o) => `${o.collectionGroup}.${o.fieldPath}`);
    expect(ttlFields.filter((field) => overrides.includes(field))).toEqual([]);
  });
});
