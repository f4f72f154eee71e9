import { functionRegistry } from '../../functions/index';
import { buildOpenApiDocument, type OpenApiDocument } from '../../shared/openapi/openapi-document';
import { localCloudEnvironment } from '../support/environment';

function get(path: string, method = 'GET'): Promise<Response> {
  return fetch(new URL(path, localCloudEnvironment().functionsUrl), { method });
}

describe('local functions server: OpenAPI document and docs page', () => {
  it('serves the document generated from the registry at /openapi.json, with itself as first server', async () => {
    const response = await get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const served = (await response.json()) as OpenApiDocument;
    const generated = buildOpenApiDocument(functionRegistry);
    expect(served.servers[0]).toEqual({ url: '/', description: 'This local functions server' });
    expect({ ...served, servers: [] }).toEqual({ ...generated, servers: [] });
  });

  it('serves a Swagger UI page at /docs that loads its assets from this server only', async () => {
    const page = await get('/docs');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(sources).toContain('/docs/swagger-ui-bundle.js');
    expect(sources.every((source) => source.startsWith('/docs/'))).toBe(true);

    for (const source of sources) {
      expect({ source, status: (await get(source)).status }).toEqual({ source, status: 200 });
    }
    const bundle = await get('/docs/swagger-ui-bundle.js');
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const initializer = await (await get('/docs/swagger-initializer.js')).text();
    expect(initializer).toContain("url: '/openapi.json'");
    expect(initializer).toContain('validatorUrl: null');
  });

  it('answers problems to other methods and to files it does not serve', async () => {
    const post = await get('/openapi.json', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(post.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');

    const unknown = await get('/docs/package.json');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'https://errors.event-manager.dev/not-found' });
  });
});
