import { join } from 'node:path';
import { readTerraformModule, type TerraformFile } from '../../scripts/lib/terraform-config';

let terraform: Map<string, TerraformFile>;

beforeAll(async () => {
  terraform = await readTerraformModule();
});

/** Every match of `pattern` in the Terraform files, as `file: match`. */
function matchesIn(pattern: RegExp): string[] {
  return [...terraform].flatMap(([name, file]) =>
    [...file.text.matchAll(pattern)].map((match) => `${name}: ${match[0]}`),
  );
}

// `terraform fmt -check` needs the terraform binary: `npm run check:terraform` runs it where it exists.
describe('terraform/*.tf', () => {
  it('all parse as HCL', () => {
    expect([...terraform.keys()]).toEqual(
      expect.arrayContaining(['functions.tf', 'firestore.tf', 'pubsub.tf']),
    );
    for (const file of terraform.values()) expect(Object.keys(file.json).length).toBeGreaterThan(0);
  });

  it('hold no secret value: secrets get their versions out of band', () => {
    expect(matchesIn(/\b(?:sk|rk)_(?:live|test)_\w*|\bwhsec_\w*/g)).toEqual([]);
    expect(matchesIn(/secret_data|google_secret_manager_secret_version/g)).toEqual([]);
  });

  it('point no function at an emulator: production must verify real tokens', () => {
    expect(matchesIn(/\w+_EMULATOR_HOST/g)).toEqual([]);
  });

  it('report a syntax error with its file instead of parsing around it', async () => {
    await expect(readTerraformModule(join(__dirname, 'fixtures', 'broken'))).rejects.toThrow(/main\.tf:1/);
  });
});
