import { join } from 'node:path';
import { functionRegistry } from '../../functions/index';
import {
  localsOf,
  readTerraformModule,
  terraformFunctions,
  type TerraformFile,
  type TerraformFunction,
  type TerraformJson,
} from '../../scripts/lib/terraform-config';
import { CONFIG_VARIABLES } from '../../shared/config/config';

let terraform: Map<string, TerraformFile>;
let declared: Map<string, TerraformFunction>;

beforeAll(async () => {
  terraform = await readTerraformModule();
  declared = terraformFunctions(terraform);
});

function parsed(file: string): TerraformJson {
  const json = terraform.get(file)?.json;
  if (json === undefined) throw new Error(`terraform/${file} is missing`);
  return json;
}

/** The blocks of a resource type in a file, by resource name, as hcl2json renders them. */
/** The push subscriptions pubsub.tf declares, by subscriber function. */
function pushSubscriptions(): Record<string, unknown> {
  return localsOf(parsed('pubsub.tf'))['push_subscriptions'] as Record<string, unknown>;
}

function resourcesOf(file: string, type: string): Record<string, Record<string, unknown>[]> {
  const resources = (parsed(file)['resource'] ?? {}) as Record<
    string,
    Record<string, Record<string, unknown>[]>
  >;
  return resources[type] ?? {};
}

describe('terraform/functions.tf against functions/index.ts', () => {
  it('declares every registered function exactly once, with the same visibility, and nothing else', () => {
    const names = functionRegistry.map((registered) => registered.name);
    expect(new Set(names).size).toBe(names.length);
    const registered = Object.fromEntries(functionRegistry.map((fn) => [fn.name, fn.visibility]));
    const terraform = Object.fromEntries([...declared].map(([name, fn]) => [name, fn.visibility]));
    expect(terraform).toEqual(registered);
  });

  it('deploys each map entry under its own name with that name as the entry point', () => {
    const [fn, ...others] = resourcesOf('functions.tf', 'google_cloudfunctions2_function')['function'] ?? [];
    expect(others).toEqual([]);
    expect(fn).toMatchObject({
      for_each: '${local.functions}',
      name: '${each.key}',
      build_config: [{ entry_point: '${each.key}', runtime: 'nodejs22' }],
    });
  });

  it('opens only public functions to allUsers', () => {
    const grants = Object.values(resourcesOf('functions.tf', 'google_cloud_run_service_iam_member')).flat();
    const toEveryone = grants.filter((grant) => grant['member'] === 'allUsers');
    expect(toEveryone).toHaveLength(1);
    expect(toEveryone[0]?.['for_each']).toMatch(/\bif fn\.visibility == "public"\s*}\}$/);
  });

  it('keeps internal functions off the internet: internal-only ingress', () => {
    const [fn] = resourcesOf('functions.tf', 'google_cloudfunctions2_function')['function'] ?? [];
    const serviceConfig = (fn?.['service_config'] as Record<string, unknown>[] | undefined)?.[0];
    expect(serviceConfig?.['ingress_settings']).toBe(
      '${each.value.visibility == "internal" ? "ALLOW_INTERNAL_ONLY" : "ALLOW_ALL"}',
    );
  });

  it('calls internal functions at their run.app URL with OIDC tokens for exactly that audience', () => {
    const serviceUri = (name: string) =>
      `\${google_cloudfunctions2_function.function[${name}].service_config[0].uri}`;
    const [job] = resourcesOf('scheduler.tf', 'google_cloud_scheduler_job')['function'] ?? [];
    expect(job).toMatchObject({
      http_target: [
        {
          uri: serviceUri('each.key'),
          oidc_token: [{ audience: serviceUri('each.key') }],
        },
      ],
    });
    const [push] = resourcesOf('pubsub.tf', 'google_pubsub_subscription')['push'] ?? [];
    const pushConfig = (push?.['push_config'] as Record<string, unknown>[] | undefined)?.[0];
    expect(pushConfig?.['push_endpoint']).toMatch(
      /^\$\{google_cloudfunctions2_function\.function\[each\.key\]\.service_config\[0\]\.uri\}\/projects\/.*\/topics\/\$\{each\.value\.topic\}$/,
    );
    expect(pushConfig?.['oidc_token']).toEqual([
      {
        service_account_email: '${google_service_account.pubsub_push.email}',
        audience: serviceUri('each.key'),
      },
    ]);
  });

  it('schedules only internal functions', () => {
    const scheduledPublic = [...declared].filter(
      ([, fn]) => fn.schedule !== null && fn.visibility !== 'internal',
    );
    expect(scheduledPublic.map(([name]) => name)).toEqual([]);
  });
});

describe('environment of the deployed functions', () => {
  const configVariables: readonly string[] = CONFIG_VARIABLES;

  it('sets only variables that shared/config/config.ts reads', () => {
    const platform = Object.keys(
      (localsOf(parsed('functions.tf'))['platform_env'] ?? {}) as Record<string, unknown>,
    );
    expect(platform).toEqual(['GCLOUD_PROJECT', 'LOG_LEVEL']);
    const perFunction = [...declared.values()].flatMap((fn) => Object.keys(fn.env));
    for (const variable of [...platform, ...perFunction]) expect(configVariables).toContain(variable);
  });

  it('gives the webhook signing secret to stripeWebhook alone', () => {
    const holders = [...declared].filter(([, fn]) => fn.stripe_secrets.includes('webhook_secret'));
    expect(holders.map(([name]) => name)).toEqual(['stripeWebhook']);
  });

  it('gives a function only Stripe secrets that exist, under variables the config reads', () => {
    const stripeSecrets = localsOf(parsed('secrets.tf'))['stripe_secrets'] as Record<string, { env: string }>;
    expect(Object.keys(stripeSecrets).sort()).toEqual(['api_key', 'webhook_secret']);
    for (const fn of declared.values()) {
      for (const secret of fn.stripe_secrets) {
        expect(Object.keys(stripeSecrets)).toContain(secret);
        expect(configVariables).toContain(stripeSecrets[secret]?.env);
      }
    }
  });
});

describe('Firestore grants', () => {
  it('gives the functions that only read (reconcileInventory) the viewer role instead of the user role', () => {
    const readOnly = [...declared].filter(([, fn]) => fn.firestore_read).map(([name]) => name);
    expect(readOnly).toEqual(['reconcileInventory']);
    const roles = JSON.stringify(localsOf(parsed('service-accounts.tf'))['function_project_roles']);
    expect(roles).toContain('fn.firestore_read ? \\"roles/datastore.viewer\\" : \\"roles/datastore.user\\"');
  });
});

describe('ticket signing key', () => {
  it('goes only to the functions that issue tickets, under the variable the config reads', () => {
    const signers = [...declared].filter(([, fn]) => fn.ticket_keys === 'sign').map(([name]) => name);
    expect(signers.sort()).toEqual(['issueTickets', 'reconcileTickets']);
    const configVariables: readonly string[] = CONFIG_VARIABLES;
    expect(configVariables).toEqual(expect.arrayContaining(['TICKET_SIGNING_KEY', 'TICKET_PUBLIC_KEYS']));
    const grant = resourcesOf('secrets.tf', 'google_secret_manager_secret_iam_member')[
      'ticket_signing_key'
    ]?.[0];
    expect(grant?.['for_each']).toMatch(/\bif fn\.ticket_keys == "sign"\s*}\}$/);
  });

  it('gives the public keys to the functions that verify QR strings or publish the keys', () => {
    const verifiers = [...declared].filter(([, fn]) => fn.ticket_keys === 'verify').map(([name]) => name);
    expect(verifiers.sort()).toEqual(['checkIn', 'syncCheckIns', 'ticketKeys']);
  });
});

describe('Pub/Sub topics', () => {
  it('lets functions publish only to topics that pubsub.tf declares', () => {
    const topics = Object.keys(localsOf(parsed('pubsub.tf'))['topics'] as Record<string, unknown>);
    expect(topics).toEqual(['payment-confirmed', 'user-notifications']);
    for (const fn of declared.values()) for (const topic of fn.publishes) expect(topics).toContain(topic);
  });

  it('names payment-confirmed as the API contract does, with its dead-letter topic beside it', () => {
    const topics = resourcesOf('pubsub.tf', 'google_pubsub_topic');
    expect(topics['payment_confirmed']?.[0]?.['name']).toBe('payment-confirmed');
    expect(topics['dead_letter']?.[0]?.['name']).toBe('${each.value.topic}-dead-letter');
    expect(pushSubscriptions()['issueTickets']).toEqual({
      topic: 'payment-confirmed',
      name: 'payment-confirmed-issue-tickets',
      ordered: true,
    });
    const subscription = resourcesOf('pubsub.tf', 'google_pubsub_subscription')['push']?.[0];
    expect(subscription).toMatchObject({
      topic: '${local.topics[each.value.topic]}',
      retry_policy: [{ minimum_backoff: '10s', maximum_backoff: '600s' }],
      dead_letter_policy: [
        { dead_letter_topic: '${google_pubsub_topic.dead_letter[each.key].id}', max_delivery_attempts: 10 },
      ],
    });
  });
});

describe('user notifications', () => {
  it('names user-notifications as the API contract does, pushed unordered to deliverUserNotification with a dead-letter topic', () => {
    const topics = resourcesOf('pubsub.tf', 'google_pubsub_topic');
    expect(topics['user_notifications']?.[0]?.['name']).toBe('user-notifications');
    expect(pushSubscriptions()['deliverUserNotification']).toEqual({
      topic: 'user-notifications',
      name: 'user-notifications-deliver',
      ordered: false,
    });
  });

  it('lets only the subscriber send through FCM, and every function that announces a change publish', () => {
    const senders = [...declared].filter(([, fn]) => fn.fcm).map(([name]) => name);
    expect(senders).toEqual(['deliverUserNotification']);
    const roles = JSON.stringify(localsOf(parsed('service-accounts.tf'))['function_project_roles']);
    expect(roles).toContain('fn.fcm ? [\\"roles/firebasecloudmessaging.admin\\"]');
    const publishers = [...declared].filter(([, fn]) => fn.publishes.includes('user-notifications'));
    expect(publishers.map(([name]) => name).sort()).toEqual(
      [
        'book',
        'cancelBooking',
        'joinWaitlist',
        'offerWaitlistTickets',
        'fanOutNotifications',
        'issueTickets',
        'reconcileTickets',
        'releaseExpiredHolds',
        'stripeWebhook',
        'sweepOutbox',
      ].sort(),
    );
  });
});

describe('terraformFunctions', () => {
  it('rejects an entry with an attribute the deployment does not know, naming the function', async () => {
    const misspelt = await readTerraformModule(join(__dirname, 'fixtures', 'misspelt'));
    expect(() => terraformFunctions(misspelt)).toThrow(/function me: .*visiblity/s);
  });
});
