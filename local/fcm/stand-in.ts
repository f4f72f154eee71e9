import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { boundPort, DEFAULT_PORTS } from '../ports';

/** What the stand-in answers for a token: FCM's success, or one of its error answers. */
export type TokenAnswer = 'ok' | 'unregistered' | 'invalid-argument' | 'internal';

/** One push the stand-in accepted, as FCM's HTTP v1 API received it. */
export interface RecordedPush {
  /** The `name` FCM answers: `projects/{project}/messages/{id}`. */
  readonly name: string;
  readonly project: string;
  readonly token: string;
  readonly notification: unknown;
  readonly data: Readonly<Record<string, string>>;
  readonly receivedAt: string;
}

/** A running stand-in. */
export interface RunningFcmStandIn {
  /** Base URL, e.g. `http://127.0.0.1:9155`. */
  readonly url: string;
  /** `host:port`: what `GCE_METADATA_HOST` and the FCM routing of the functions process point at. */
  readonly address: string;
  readonly port: number;
  /** Every push accepted so far, oldest first; with `token`, only that device's. */
  pushes(token?: string): readonly RecordedPush[];
  /** Makes FCM answer `answer` for `token` from now on (`ok` restores success). */
  answerFor(token: string, answer: TokenAnswer): void;
  stop(): Promise<void>;
}

/** How to start the stand-in. */
export interface FcmStandInOptions {
  /** `127.0.0.1` by default. */
  host?: string;
  /** `DEFAULT_PORTS.fcm` (9155) by default; 0 picks a free port. */
  port?: number;
  /** The project the metadata server reports. */
  projectId: string;
}

/** FCM's HTTP v1 error bodies (firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode). */
const ERROR_ANSWERS: Readonly<
  Record<Exclude<TokenAnswer, 'ok'>, { status: number; code: string; fcm: string }>
> = {
  unregistered: { status: 404, code: 'NOT_FOUND', fcm: 'UNREGISTERED' },
  'invalid-argument': { status: 400, code: 'INVALID_ARGUMENT', fcm: 'INVALID_ARGUMENT' },
  // 500, not 503: the Admin SDK retries 503 itself, and the point is to see what FCM asks callers to retry.
  internal: { status: 500, code: 'INTERNAL', fcm: 'INTERNAL' },
};

const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;
const METADATA_PREFIX = '/computeMetadata/v1/';
const LOCAL_ACCESS_TOKEN = 'local-fcm-stand-in-token';

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringsOf(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * Starts the local stand-in for Firebase Cloud Messaging: FCM's HTTP v1 send endpoint
 * (`POST /v1/projects/{project}/messages:send`), the few GCE metadata server paths Google's auth library
 * asks for an access token, and a control API (`GET /pushes`, `POST /control/tokens`). It records every
 * push and answers FCM's errors for the tokens it is told to. See docs/local-fcm-stand-in.md.
 */
export async function startFcmStandIn(options: FcmStandInOptions): Promise<RunningFcmStandIn> {
  const host = options.host ?? '127.0.0.1';
  const pushes: RecordedPush[] = [];
  const answers = new Map<string, TokenAnswer>();

  const send = async (request: IncomingMessage, response: ServerResponse, project: string) => {
    if (!(request.headers.authorization ?? '').startsWith('Bearer ')) {
      json(response, 401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'No access token.' } });
      return;
    }
    const message = record(record(await readJson(request))['message']);
    const token = typeof message['token'] === 'string' ? message['token'] : '';
    const answer = answers.get(token) ?? 'ok';
    if (token === '' || answer !== 'ok') {
      const error =
        token === ''
          ? ERROR_ANSWERS['invalid-argument']
          : ERROR_ANSWERS[answer as Exclude<TokenAnswer, 'ok'>];
      json(response, error.status, {
        error: {
          code: error.status,
          status: error.code,
          message: `The stand-in answers ${error.fcm} for this token.`,
          details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: error.fcm }],
        },
      });
      return;
    }
    const name = `projects/${project}/messages/${randomUUID()}`;
    pushes.push({
      name,
      project,
      token,
      notification: message['notification'],
      data: stringsOf(message['data']),
      receivedAt: new Date().toISOString(),
    });
    json(response, 200, { name });
  };

  const metadata = (request: IncomingMessage, response: ServerResponse, path: string) => {
    const flavor = { 'Metadata-Flavor': 'Google' };
    if (request.headers['metadata-flavor'] !== 'Google') {
      json(response, 403, { error: 'Missing Metadata-Flavor: Google' }, flavor);
      return;
    }
    const values: Record<string, unknown> = {
      'instance/service-accounts/default/token': {
        access_token: LOCAL_ACCESS_TOKEN,
        expires_in: 3600,
        token_type: 'Bearer',
      },
      'project/project-id': options.projectId,
      'universe/universe-domain': 'googleapis.com',
    };
    const value = values[path];
    if (value === undefined) {
      response.writeHead(404, flavor).end();
      return;
    }
    if (typeof value === 'string')
      response.writeHead(200, { ...flavor, 'Content-Type': 'text/plain' }).end(value);
    else json(response, 200, value, flavor);
  };

  const control = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (request.method === 'GET' && url.pathname === '/pushes') {
      const token = url.searchParams.get('token');
      json(response, 200, {
        pushes: token === null ? pushes : pushes.filter((push) => push.token === token),
      });
      return;
    }
    if (request.method === 'POST' && url.pathname === '/control/tokens') {
      const body = record(await readJson(request));
      const answer = body['answer'];
      if (
        typeof body['token'] !== 'string' ||
        !['ok', 'unregistered', 'invalid-argument', 'internal'].includes(String(answer))
      ) {
        json(response, 400, {
          error:
            'Body must be { "token", "answer": "ok" | "unregistered" | "invalid-argument" | "internal" }',
        });
        return;
      }
      answers.set(body['token'], answer as TokenAnswer);
      response.writeHead(204).end();
      return;
    }
    json(response, 404, { error: `No route ${request.method ?? ''} ${url.pathname}` });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const sendPath = SEND_PATH.exec(url.pathname);
    const handled =
      request.method === 'POST' && sendPath?.[1] !== undefined
        ? send(request, response, sendPath[1])
        : url.pathname.startsWith(METADATA_PREFIX)
          ? Promise.resolve(metadata(request, response, url.pathname.slice(METADATA_PREFIX.length)))
          : control(request, response, url);
    handled.catch((error: unknown) => {
      if (!response.headersSent)
        json(response, 400, { error: error instanceof Error ? error.message : String(error) });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORTS.fcm, host, () => {
      server.off('error', reject);
      const port = boundPort(server);
      resolve({
        url: `http://${host}:${port}`,
        address: `${host}:${port}`,
        port,
        pushes: (token) =>
          token === undefined ? [...pushes] : pushes.filter((push) => push.token === token),
        answerFor: (token, answer) => answers.set(token, answer),
        stop: () =>
          new Promise<void>((resolveStop, rejectStop) => {
            server.close((error) => (error ? rejectStop(error) : resolveStop()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
