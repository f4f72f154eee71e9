import { functionRegistry } from '../../functions/index';
import { buildOpenApiDocument } from '../../shared/openapi/openapi-document';
import { OpenApiContract, type ObservedResponse } from '../support/openapi-contract';

const document = buildOpenApiDocument(functionRegistry);
const contract = new OpenApiContract(document);

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

const event = {
  id: 'e1',
  companyId: 'c1',
  name: 'Concert',
  description: null,
  startsAt: '2030-03-01T18:30:00.000Z',
  venue: 'Hall',
  location: { lat: 48.1, lng: 11.5 },
  totalTickets: 100,
  availableTickets: 100,
  currency: 'EUR',
  basePrice: 5000,
  surgePrice: 7000,
  surgeThreshold: 80,
  currentPrice: 5000,
  holdMinutes: 15,
  maxTicketsPerBooking: 10,
  version: 1,
  createdAt: '2029-01-01T00:00:00.000Z',
  updatedAt: '2029-01-01T00:00:00.000Z',
  status: 'scheduled',
};

function answer(status: number, body: unknown, headers: Record<string, string> = {}): ObservedResponse {
  const contentType = status < 400 ? JSON_TYPE : PROBLEM_TYPE;
  return { status, headers: new Headers({ 'content-type': contentType, ...headers }), body };
}

function problem(slug: string, status: number): Record<string, unknown> {
  return { type: `https://errors.event-manager.dev/${slug}`, title: 'Some title', status, detail: 'Why.' };
}

describe('the OpenAPI contract', () => {
  it('documents every registered public function, and nothing else', () => {
    const publicHttp = functionRegistry.filter((fn) => fn.signature === 'http' && fn.visibility === 'public');
    expect(Object.keys(document.paths).sort()).toEqual(publicHttp.map((fn) => `/${fn.name}`).sort());
    expect(publicHttp.map((fn) => fn.name)).toEqual(
      expect.arrayContaining(['book', 'stripeWebhook', 'eventSales']),
    );
  });

  it('accepts answers that match the document', () => {
    expect(contract.violations('getEvent', 'GET', answer(200, { event }))).toEqual([]);
    expect(contract.violations('getEvent', 'GET', answer(404, problem('not-found', 404)))).toEqual([]);
    const validation = {
      ...problem('validation', 400),
      errors: [{ path: 'id', message: 'Not an event id.' }],
    };
    expect(contract.violations('getEvent', 'GET', answer(400, validation))).toEqual([]);
    const sold = answer(409, problem('sold-out', 409));
    expect(contract.violations('book', 'POST', sold)).toEqual([]);
  });

  it('refuses a body that differs from the response schema', () => {
    const { currentPrice: _omitted, ...missing } = event;
    expect(contract.violations('getEvent', 'GET', answer(200, { event: missing }))).toEqual([
      "body/event must have required property 'currentPrice'",
    ]);
    expect(contract.violations('getEvent', 'GET', answer(200, { event: { ...event, secret: 1 } }))).toEqual([
      'body/event must NOT have additional properties',
    ]);
    expect(
      contract.violations('getEvent', 'GET', answer(200, { event: { ...event, startsAt: 'tomorrow' } })),
    ).toEqual(expect.arrayContaining(['body/event/startsAt must match format "date-time"']));
  });

  it('refuses statuses, problem types, media types and headers the operation does not document', () => {
    expect(contract.violations('getEvent', 'GET', answer(409, problem('sold-out', 409)))).toEqual([
      'status 409 is not documented for GET /getEvent',
    ]);
    expect(contract.violations('book', 'POST', answer(409, problem('stale-version', 409)))).toEqual([
      'body/type must be equal to one of the allowed values',
    ]);
    expect(contract.violations('book', 'POST', answer(409, problem('sold-out', 400)))).toEqual([
      'body/status must be equal to constant',
    ]);
    const asText = { status: 200, headers: new Headers({ 'content-type': 'text/plain' }), body: 'ok' };
    expect(contract.violations('getEvent', 'GET', asText)).toEqual([
      'media type "text/plain" is not documented for 200 of GET /getEvent',
    ]);
    expect(contract.violations('book', 'POST', answer(429, problem('rate-limited', 429)))).toEqual([
      'required header Retry-After is missing',
    ]);
    expect(
      contract.violations('book', 'POST', answer(429, problem('rate-limited', 429), { 'retry-after': '1' })),
    ).toEqual([]);
  });

  it('requires a problem for wrong methods and unknown functions, and leaves internal functions alone', () => {
    expect(contract.violations('book', 'GET', answer(405, problem('method-not-allowed', 405)))).toEqual([]);
    expect(contract.violations('book', 'GET', answer(200, { anything: true }))).toEqual([
      'media type is "application/json", expected "application/problem+json"',
    ]);
    expect(contract.violations('noSuchFunction', 'GET', answer(404, { error: 'nope' }))).not.toEqual([]);
    expect(contract.violations('book', 'OPTIONS', { status: 204, headers: new Headers(), body: '' })).toEqual(
      [],
    );
    expect(contract.violations('releaseExpiredHolds', 'POST', answer(200, { released: 0 }))).toEqual([]);
    expect(contract.violations('issueTickets/projects/p/topics/t', 'POST', answer(500, 'failed'))).toEqual(
      [],
    );
  });
});
