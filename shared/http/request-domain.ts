import { Domain } from 'node:domain';

/**
 * Leaves the domain the functions-framework opens around every request it hands to a function.
 *
 * While a domain is active, Node's domain module hooks every async resource created: each promise gets the
 * domain attached and each callback enters and leaves it, re-arming the process's exception capture. A
 * request creates hundreds (a Firestore transaction alone does), and measured in `bench:checkin` the hooks
 * took a third of the functions process's CPU. The domain buys nothing here: every pipeline is one promise
 * chain whose errors become problem responses, and the framework catches a rejected handler without it.
 * What only the domain would catch, an exception thrown from a callback, reaches the framework's
 * `uncaughtException` handler instead, which answers 500 and ends the instance (Cloud Functions starts a
 * new one), as Node advises after an uncaught exception rather than serving on in an unknown state.
 */
export function leaveFrameworkRequestDomain(): void {
  const active: unknown = Reflect.get(process, 'domain');
  if (active instanceof Domain) active.exit();
}
