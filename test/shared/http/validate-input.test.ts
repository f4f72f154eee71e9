import * as z from 'zod';
import { ValidationError } from '../../../shared/errors/domain-errors';
import { parseInput } from '../../../shared/http/middleware/validate-input';

const schema = z.strictObject({ name: z.string(), location: z.strictObject({ lat: z.number() }) });

function issuesOf(value: unknown): unknown {
  try {
    parseInput(schema, value, 'body');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'a', location: { lat: 1 } }, 'body')).toEqual({
      name: 'a',
      location: { lat: 1 },
    });
  });

  it('names every unknown field, also nested ones', () => {
    expect(issuesOf({ name: 'a', role: 'admin', location: { lat: 1, alt: 2 } })).toEqual(
      expect.arrayContaining([
        { path: 'role', message: 'Unknown field.' },
        { path: 'location.alt', message: 'Unknown field.' },
      ]),
    );
  });

  it('names each invalid field by its dotted path', () => {
    expect(issuesOf({ name: 1, location: { lat: 'x' } })).toEqual([
      { path: 'name', message: expect.any(String) },
      { path: 'location.lat', message: expect.any(String) },
    ]);
  });

  it('reports a body of the wrong type at the root', () => {
    expect(issuesOf([])).toEqual([{ path: 'body', message: expect.any(String) }]);
  });
});
