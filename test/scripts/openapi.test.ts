import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

describe('npm run openapi -- --check', () => {
  // A child process because openapi-typescript and prettier load ES modules that jest's CommonJS cannot.
  it('finds the committed TypeScript client generated from the current zod schemas', async () => {
    const checked = await run(process.execPath, ['--import', 'tsx', 'scripts/openapi.ts', '--check'], {
      cwd: ROOT,
    }).catch((error: { stderr?: string }) => ({ stdout: '', stderr: error.stderr ?? String(error) }));
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toBe('clients/typescript/schema.d.ts matches the OpenAPI document\n');
  }, 60_000);
});
