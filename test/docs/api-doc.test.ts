import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { functionRegistry } from '../../functions/index';
import { PROBLEM_TYPE_BASE } from '../../shared/http/problem';
import type { ProblemSlug } from '../../shared/http/registered-function';
import type { JsonSchema } from '../../shared/openapi/json-schema';
import { buildOpenApiDocument } from '../../shared/openapi/openapi-document';
import { problemEntry } from '../../shared/openapi/problem-catalogue';

const page = readFileSync(resolve(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');
const document = buildOpenApiDocument(functionRegistry);

/** `status slug` pairs, the form both sides are compared in. */
type Answers = string[];

/** The text under each `### METHOD /name` heading, up to the next heading of any level. */
function functionSections(): Map<string, string> {
  const sections = new Map<string, string>();
  const headings = [...page.matchAll(/^### (GET|POST) (\/\S+)$/gm)];
  for (const heading of headings) {
    const start = (heading.index ?? 0) + heading[0].length;
    const next = /^#{1,3} /m.exec(page.slice(start));
    sections.set(`${heading[1]} ${heading[2]}`, page.slice(start, next ? start + next.index : undefined));
  }
  return sections;
}

/** The text of a `- **Label:**` list item, continuation lines included. */
function listItem(section: string, label: string): string {
  const match = new RegExp(`^- \\*\\*${label}:\\*\\*((?:.|\\n(?!- |\\n))*)`, 'm').exec(section);
  if (match?.[1] === undefined) throw new Error(`No "${label}" line`);
  return match[1];
}

/** `409 `sold-out`, `stale-version` · 413 `payload-too-large`` → ['409 sold-out', …]. */
function documentedProblems(section: string): Answers {
  return listItem(section, 'Problems')
    .split(/\s+·\s+/)
    .flatMap((group) => {
      const status = /^\s*(\d{3}) /.exec(group)?.[1];
      if (status === undefined) throw new Error(`No status in "${group}"`);
      return [...group.matchAll(/`([a-z-]+)`/g)].map((slug) => `${status} ${slug[1]}`);
    })
    .sort();
}

function operationOf(method: string, path: string): JsonSchema {
  const operation = document.paths[path]?.[method.toLowerCase()];
  if (operation === undefined) throw new Error(`No operation ${method} ${path} in the OpenAPI document`);
  return operation;
}

/** The problem answers of an operation in the OpenAPI document, as `status slug` pairs. */
function openApiProblems(operation: JsonSchema): Answers {
  const responses = operation.responses as Record<string, JsonSchema>;
  return Object.entries(responses)
    .flatMap(([status, response]) => {
      const content = (response.content ?? {}) as Record<string, { schema: { allOf?: JsonSchema[] } }>;
      const branch = content['application/problem+json']?.schema.allOf?.[1] as
        { properties: { type: { enum: string[] } } } | undefined;
      return (branch?.properties.type.enum ?? []).map(
        (type) => `${status} ${type.replace(PROBLEM_TYPE_BASE, '')}`,
      );
    })
    .sort();
}

/** The one 2xx answer: JSON, or none at all (a 204). */
function successStatus(operation: JsonSchema): string {
  const responses = operation.responses as Record<string, JsonSchema>;
  const [status] = Object.keys(responses).filter((code) => code.startsWith('2'));
  if (status === undefined) throw new Error('No success answer');
  return status;
}

const sections = functionSections();

describe('docs/api.md', () => {
  it('has a section for every function of the OpenAPI document, and for nothing else', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect([...sections.keys()].sort()).toEqual(operations.sort());
    expect(sections.size).toBeGreaterThanOrEqual(13);
  });

  it.each([...sections.keys()])('gives %s the success status and problem types of the document', (key) => {
    const [method = '', path = ''] = key.split(' ');
    const section = sections.get(key) ?? '';
    const operation = operationOf(method, path);

    expect(listItem(section, 'Answer').trim().slice(1, 4)).toBe(successStatus(operation));
    expect(documentedProblems(section)).toEqual(openApiProblems(operation));
  });

  it('lists every problem type the document answers, with its status, and no other', () => {
    const table = [...page.matchAll(/^\| `(https:\/\/\S+)`\s*\| (\d{3})\s*\|/gm)].map(
      ([, type = '', status = '']) => `${status} ${type}`,
    );
    const answered = new Set(
      Object.values(document.paths)
        .flatMap((item) => Object.values(item))
        .flatMap((operation) => openApiProblems(operation))
        .map((answer) => answer.split(' ')[1] as ProblemSlug),
    );
    const expected = [...answered].map((slug) => {
      const entry = problemEntry(slug);
      return `${entry.status} ${entry.type}`;
    });

    expect(table.sort()).toEqual(expected.sort());
  });

  it('names every internal function', () => {
    const internal = page.slice(page.indexOf('## Internal functions'), page.indexOf('## Pub/Sub messages'));

    for (const name of document['x-internal-functions']) expect(internal).toContain(`- \`${name}\`:`);
  });
});
