import type { PushTriggerSpec } from './pubsub/topology';

/**
 * The webhook signing secret the local Stripe sandbox and the local functions share. Any `whsec_` value
 * works offline; production's lives in Secret Manager.
 */
export const LOCAL_STRIPE_WEBHOOK_SECRET = 'whsec_local_cloud_webhooks';

/** The Stripe webhook endpoint of the local functions server. */
export function stripeWebhookUrl(functionsUrl: string): string {
  return `${functionsUrl}/stripeWebhook`;
}

/**
 * The Pub/Sub wiring of terraform/pubsub.tf for the local cloud: `payment-confirmed` pushed to
 * `issueTickets`, with its dead-letter topic and ordering, as the production subscription has them.
 */
export function paymentTriggers(functionsUrl: string, projectId: string): PushTriggerSpec[] {
  return [
    {
      topic: 'payment-confirmed',
      subscription: 'payment-confirmed-issue-tickets',
      pushEndpoint: `${functionsUrl}/issueTickets/projects/${projectId}/topics/payment-confirmed`,
      deadLetterTopic: 'payment-confirmed-dead-letter',
      maxDeliveryAttempts: 10,
      orderingEnabled: true,
    },
  ];
}

/**
 * The Pub/Sub wiring of terraform/pubsub.tf for user notifications: `user-notifications` pushed to
 * `deliverUserNotification`, with its dead-letter topic and without ordering, as in production.
 */
export function notificationTriggers(functionsUrl: string, projectId: string): PushTriggerSpec[] {
  return [
    {
      topic: 'user-notifications',
      subscription: 'user-notifications-deliver',
      pushEndpoint: `${functionsUrl}/deliverUserNotification/projects/${projectId}/topics/user-notifications`,
      deadLetterTopic: 'user-notifications-dead-letter',
      maxDeliveryAttempts: 10,
      orderingEnabled: false,
    },
  ];
}
