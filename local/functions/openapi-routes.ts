import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../../shared/errors/domain-errors';
import { MethodNotAllowedError } from '../../shared/http/http-errors';
import { toProblem } from '../../shared/http/problem';
import { problemResult, SECURITY_HEADERS, writeResult } from '../../shared/http/write-response';
import type { OpenApiDocument } from '../../shared/openapi/openapi-document';

/** The swagger-ui-dist files the docs page loads, with their media types; nothing else is served. */
const SWAGGER_UI_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Event Manager API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
    <link rel="stylesheet" href="/docs/index.css" />
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/swagger-initializer.js"></script>
  </body>
</html>
`;

// validatorUrl: null keeps the page offline; swagger-ui would otherwise send the document to
// validator.swagger.io for a badge.
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

/**
 * The docs page's own policy (the API's `default-src 'none'` would block it): only this server's scripts,
 * styles and data: images; swagger-ui sets inline styles, no inline scripts.
 */
const DOCS_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'Cache-Control': 'no-cache',
};

function swaggerUiDirectory(): string {
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

function sendProblem(req: IncomingMessage, res: ServerResponse, error: Error): void {
  req.resume();
  writeResult(res, problemResult(toProblem(error)));
}

function send(res: ServerResponse, contentType: string, body: string | Buffer, headers = DOCS_HEADERS): void {
  res.writeHead(200, { ...SECURITY_HEADERS, ...headers, 'Content-Type': contentType });
  res.end(body);
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}

/** Only GET (and HEAD, which Node answers without a body) reads these pages. */
function isRead(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  sendProblem(req, res, new MethodNotAllowedError(['GET']));
  return false;
}

/**
 * The local-only documentation routes of the functions server: `/openapi.json` (the generated document) and
 * `/docs`, a Swagger UI page rendering it from the swagger-ui-dist package, so it works offline.
 */
export function openApiRoutes(document: OpenApiDocument): Map<string, RequestListener> {
  const json = JSON.stringify(document, null, 2);
  const assets = new Map<string, Promise<Buffer>>();
  const asset = (name: string): Promise<Buffer> => {
    const loading = assets.get(name) ?? readFile(join(swaggerUiDirectory(), name));
    assets.set(name, loading);
    return loading;
  };
  return new Map<string, RequestListener>([
    [
      'openapi.json',
      (req, res) => {
        if (!isRead(req, res)) return;
        if (pathOf(req) !== '/openapi.json') return sendProblem(req, res, new NotFoundError('No such page.'));
        send(res, 'application/json; charset=utf-8', json, { 'Cache-Control': 'no-cache' });
      },
    ],
    [
      'docs',
      (req, res) => {
        if (!isRead(req, res)) return;
        const path = pathOf(req);
        if (path === '/docs' || path === '/docs/') return send(res, 'text/html; charset=utf-8', DOCS_PAGE);
        const name = path.slice('/docs/'.length);
        if (name === 'swagger-initializer.js')
          return send(res, 'text/javascript; charset=utf-8', INITIALIZER);
        const contentType = SWAGGER_UI_ASSETS[name];
        if (!path.startsWith('/docs/') || contentType === undefined) {
          return sendProblem(req, res, new NotFoundError('No such page.'));
        }
        asset(name).then(
          (content) => send(res, contentType, content),
          (error: unknown) =>
            sendProblem(req, res, error instanceof Error ? error : new Error(String(error))),
        );
      },
    ],
  ]);
}
