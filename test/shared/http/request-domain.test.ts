import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { http, type HttpFunction } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { toFrameworkHandler } from '../../../shared/http/framework-adapter';

/** Whether a domain was active once the handler had awaited, i.e. bound to the continuation. */
function domainActive(): boolean {
  return Reflect.get(process, 'domain') !== undefined;
}

/** Serves `handler` through the functions-framework's own server and calls it once. */
async function callThroughFramework(name: string, handler: HttpFunction): Promise<void> {
  http(name, handler);
  const server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('the framework request domain', () => {
  it('is active around a plain handler, so leaving it is observable', async () => {
    let seen: boolean | undefined;
    await callThroughFramework('plainDomainProbe', async (_req, res) => {
      await nextTurn();
      seen = domainActive();
      res.status(200).send('');
    });
    expect(seen).toBe(true);
  });

  it('is left by every function adapted from a pipeline, before any of its work', async () => {
    let seen: boolean | undefined;
    await callThroughFramework(
      'adaptedDomainProbe',
      toFrameworkHandler('adaptedDomainProbe', async () => {
        await nextTurn();
        seen = domainActive();
        return { status: 200, body: {} };
      }),
    );
    expect(seen).toBe(false);
  });
});
