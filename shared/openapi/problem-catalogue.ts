import * as z from 'zod';
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors/domain-errors';
import {
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../http/http-errors';
import { toProblem } from '../http/problem';
import type { ProblemSlug } from '../http/registered-function';

/** One field of a validation problem's `errors`. */
export const fieldIssueSchema = z
  .strictObject({
    path: z.string().meta({ description: 'Dotted path of the field (`company.email`), `body` or `query`.' }),
    message: z.string(),
  })
  .meta({ id: 'FieldIssue' });

/** The problem document every error answer carries (`ProblemBody` in shared/http/problem.ts). */
export const problemSchema = z
  .strictObject({
    type: z.url().meta({ description: 'Stable URI of the problem; clients branch on it, not on `title`.' }),
    title: z.string(),
    status: z.int(),
    detail: z.string().meta({ description: 'What went wrong in this case, for people.' }),
    errors: z
      .array(fieldIssueSchema)
      .optional()
      .meta({ description: 'Validation problems: one per bad field.' }),
    checkedInAt: z.iso
      .datetime()
      .optional()
      .meta({ description: '`already-checked-in` only: when the first scan admitted the ticket (UTC).' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details, sent as `application/problem+json`.' });

/**
 * An error that `toProblem` maps to each slug. The catalogue asks the one real mapping for status, title and
 * headers instead of restating them, so the document cannot drift from what the API answers.
 */
function representative(slug: ProblemSlug): unknown {
  switch (slug) {
    case 'validation':
      return new ValidationError('');
    case 'malformed-json':
      return new MalformedJsonError('');
    case 'unauthenticated':
      return new AuthenticationError('');
    case 'forbidden':
      return new PermissionDeniedError('');
    case 'not-found':
      return new NotFoundError('');
    case 'method-not-allowed':
      return new MethodNotAllowedError(['POST']);
    case 'payload-too-large':
      return new PayloadTooLargeError('');
    case 'unsupported-media-type':
      return new UnsupportedMediaTypeError('');
    case 'rate-limited':
      return new RateLimitedError('', 1);
    case 'unavailable':
      return new ServiceUnavailableError('', 1);
    case 'internal':
      return new Error('an infrastructure fault');
    default:
      return new ConflictError(slug, '');
  }
}

/** What clients learn from a response header that a problem carries. */
const HEADER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Allow: 'The method this function accepts.',
  'WWW-Authenticate': 'The authentication scheme: `Bearer`.',
  'Retry-After': 'Seconds to wait before retrying.',
};

/** A problem type as the document describes it. */
export interface ProblemEntry {
  readonly slug: ProblemSlug;
  /** The full `type` URI. */
  readonly type: string;
  readonly status: number;
  readonly title: string;
  /** Response headers that always come with it, and what they mean. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The status, title and headers of a problem type, from `shared/http/problem.ts` itself.
 *
 * @throws Error when the problem carries a header this catalogue cannot describe
 */
export function problemEntry(slug: ProblemSlug): ProblemEntry {
  const problem = toProblem(representative(slug));
  const headers = Object.fromEntries(
    Object.keys(problem.headers).map((name) => {
      const description = HEADER_DESCRIPTIONS[name];
      if (description === undefined) throw new Error(`No description of the problem header ${name}`);
      return [name, description];
    }),
  );
  return { slug, type: problem.body.type, status: problem.status, title: problem.body.title, headers };
}
