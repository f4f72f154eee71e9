import { invalidArgument } from './errors';

/** A parsed `projects/{project}/{collection}/{id}` resource name. */
export interface ResourceName {
  readonly name: string;
  readonly project: string;
  readonly id: string;
}

/** What a subscription's topic reads as after its topic was deleted. */
export const DELETED_TOPIC = '_deleted-topic_';

/**
 * Pub/Sub's rules for topic, subscription and snapshot ids: 3 to 255 characters, a letter first, then letters, digits
 * and `-_.~+%`, and never the reserved `goog` prefix.
 */
const RESOURCE_ID = /^(?!goog)[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/i;

function parse(name: string | undefined, collection: 'topics' | 'subscriptions' | 'snapshots'): ResourceName {
  const match = /^projects\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(name ?? '');
  const [, project, kind, id] = match ?? [];
  if (!name || !project || kind !== collection || !id || !RESOURCE_ID.test(id)) {
    throw invalidArgument(`Invalid [${collection}] name: (name=${name ?? ''})`);
  }
  return { name, project, id };
}

/** Validates `projects/{project}/topics/{topic}`. */
export function parseTopicName(name: string | undefined): ResourceName {
  return parse(name, 'topics');
}

/** Validates `projects/{project}/subscriptions/{subscription}`. */
export function parseSubscriptionName(name: string | undefined): ResourceName {
  return parse(name, 'subscriptions');
}

/** Validates `projects/{project}/snapshots/{snapshot}`. */
export function parseSnapshotName(name: string | undefined): ResourceName {
  return parse(name, 'snapshots');
}

/** Validates `projects/{project}` and returns the project id. */
export function parseProjectName(name: string | undefined): string {
  const [, project] = /^projects\/([^/]+)$/.exec(name ?? '') ?? [];
  if (!project) throw invalidArgument(`Invalid [projects] name: (name=${name ?? ''})`);
  return project;
}
