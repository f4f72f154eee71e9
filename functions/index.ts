import type { RegisteredFunction } from '../shared/http/registered-function';
import { me } from './me';
import { register } from './register';

/**
 * The single registry of functions. Importing this module registers every function with the
 * functions-framework (each `functions/<name>.ts` registers itself once when loaded); production loads one
 * entry file per bundle instead.
 */
export const functionRegistry: readonly RegisteredFunction[] = [register, me];
