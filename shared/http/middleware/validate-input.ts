import type { MiddlewareObj } from '@middy/core';
import type * as z from 'zod';
import { ValidationError, type FieldIssue } from '../../errors/domain-errors';
import type { HttpEvent } from '../http-types';

function toFieldIssues(error: z.ZodError, root: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'Unknown field.' }));
    }
    return [{ path: base.length === 0 ? root : base.join('.'), message: issue.message }];
  });
}

/** Parses `value` with `schema`, turning every problem into a 400 that names each bad field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, root: 'body' | 'query'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(`The request ${root} is invalid.`, toFieldIssues(result.error, root));
}

/**
 * Validates the JSON body and the query string against strict zod schemas (unknown keys are errors) and
 * replaces them on the event with the parsed, typed values.
 */
export function validateInput(schemas: {
  readonly body: z.ZodType | undefined;
  readonly query: z.ZodType | undefined;
}): MiddlewareObj<HttpEvent> {
  return {
    name: 'validateInput',
    before: ({ event }) => {
      if (schemas.body !== undefined) event.body = parseInput(schemas.body, event.req.body, 'body');
      if (schemas.query !== undefined) event.query = parseInput(schemas.query, event.req.query, 'query');
    },
  };
}
