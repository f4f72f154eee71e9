import http from 'node:http';
import https from 'node:https';
import { invalidRequest } from './errors';
import { paymentIntentOfEvent, type SandboxEvent, type SandboxEventType } from './events';
import { signatureHeader } from './signature';

/** Where events are sent, and the secret (`whsec_...`) their signatures are made with. */
export interface WebhookEndpoint {
  url: string;
  secret: string;
}

/** How events are delivered; every field can change while the sandbox runs. */
export interface DeliverySettings {
  webhookEndpoints: WebhookEndpoint[];
  /** Delay before the first retry; each further retry waits twice as long as the one before. */
  retryBackoffMs: number;
  /** Attempts per delivery, the first included, before the sandbox gives up. */
  maxDeliveryAttempts: number;
  /** Extra copies of every delivery, sent at the same time as the original (at-least-once delivery). */
  duplicateDeliveries: number;
  /** Hold events for `reorderWindowMs` and send each held batch newest first. */
  reorder: boolean;
  reorderWindowMs: number;
  /** An endpoint that has not answered within this time has failed (and is retried). */
  deliveryTimeoutMs: number;
}

/** The outcome of one delivery attempt. */
export interface DeliveryRecord {
  eventId: string;
  type: SandboxEventType;
  url: string;
  /** The endpoint's HTTP status, or why none came back. */
  status: number | 'timeout' | 'connection-error';
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** 0 for the delivery Stripe owes, 1 and up for the extra copies asked for by `duplicateDeliveries`. */
  copy: number;
}

interface Job {
  event: SandboxEvent;
  payload: string;
}

type AttemptStatus = DeliveryRecord['status'];

/** The longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Delivers events to the webhook endpoints the way Stripe does: a signed JSON POST per event and endpoint,
 * at least once, retried with exponential backoff until a 2xx answer (redirects, errors and timeouts fail).
 * On request it also duplicates deliveries and reverses their order, the two things Stripe warns handlers
 * about. The events of one API request (or one reorder batch) go to an endpoint one after the other, so that
 * the arrival order is the order chosen here; retries run on their own schedule.
 */
export class WebhookDispatcher {
  private settings: DeliverySettings;
  private readonly records: DeliveryRecord[] = [];
  private held: SandboxEvent[] = [];
  /** PaymentIntents whose events are withheld until a test releases them, and those events. */
  private readonly withheldIntents = new Set<string>();
  private withheld: SandboxEvent[] = [];
  private heldTimer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  /** Deliveries running, waiting for a retry or held for reordering; `idle()` waits for zero. */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  constructor(
    settings: DeliverySettings,
    /** Called once per event and endpoint when the endpoint first accepts it. */
    private readonly onDelivered: (eventId: string) => void,
  ) {
    this.settings = { ...settings, webhookEndpoints: [...settings.webhookEndpoints] };
  }

  /** The current settings. */
  current(): DeliverySettings {
    return { ...this.settings, webhookEndpoints: this.settings.webhookEndpoints.map((e) => ({ ...e })) };
  }

  /**
   * Changes settings: endpoints and duplicates apply to events dispatched from now on, retry and timeout
   * settings to the next attempt; turning reordering off releases the held events at once.
   */
  configure(update: Partial<DeliverySettings>): void {
    this.settings = { ...this.settings, ...update };
    if (update.reorder === false) this.releaseHeld();
  }

  /** How many endpoints an event created now will be sent to (its `pending_webhooks`). */
  get endpointCount(): number {
    return this.settings.webhookEndpoints.length;
  }

  /** Sends the events of one API request, in creation order unless reordering is on. */
  dispatch(all: readonly SandboxEvent[]): void {
    const events = all.filter((event) => !this.isWithheld(event));
    this.withheld.push(...all.filter((event) => this.isWithheld(event)));
    if (this.stopped || events.length === 0 || this.settings.webhookEndpoints.length === 0) return;
    if (!this.settings.reorder) {
      this.sendGroup(events);
      return;
    }
    this.held.push(...events);
    if (this.heldTimer === undefined) {
      this.busy++;
      this.heldTimer = setTimeout(() => this.releaseHeld(), this.settings.reorderWindowMs);
    }
  }

  /**
   * Withholds every event about the PaymentIntent (its own, and its charges' and refunds') from now on, until
   * {@link release}: a webhook that Stripe sends late, or after others.
   */
  withhold(paymentIntentId: string): void {
    this.withheldIntents.add(paymentIntentId);
  }

  /** The events withheld so far and not yet released, oldest first. */
  withheldEvents(): readonly SandboxEvent[] {
    return [...this.withheld];
  }

  /**
   * Sends withheld events of the PaymentIntent: the ones named, in the order named (the others stay
   * withheld, and so do later ones), or all of them in the order they happened, which also ends the
   * withholding. Returns the events sent.
   *
   * @throws StripeApiError (400) naming an id that is not a withheld event of the PaymentIntent
   */
  release(paymentIntentId: string, eventIds?: readonly string[]): SandboxEvent[] {
    const ofIntent = this.withheld.filter((event) => paymentIntentOfEvent(event) === paymentIntentId);
    const released =
      eventIds === undefined
        ? ofIntent
        : eventIds.map((id) => {
            const event = ofIntent.find((candidate) => candidate.id === id);
            if (event === undefined)
              throw invalidRequest(`${id} is not a withheld event of ${paymentIntentId}.`);
            return event;
          });
    if (eventIds === undefined) this.withheldIntents.delete(paymentIntentId);
    this.withheld = this.withheld.filter((event) => !released.includes(event));
    if (!this.stopped && released.length > 0) this.sendGroup(released);
    return released;
  }

  /** Every delivery attempt so far, oldest first. */
  deliveries(): readonly DeliveryRecord[] {
    return [...this.records];
  }

  /** Resolves once nothing is being delivered, held or waiting for a retry. */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Abandons held events, pending retries and deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heldTimer !== undefined) {
      clearTimeout(this.heldTimer);
      this.heldTimer = undefined;
      this.held = [];
      this.done();
    }
    for (const timer of this.retryTimers) {
      clearTimeout(timer);
      this.done();
    }
    this.retryTimers.clear();
    for (const request of this.inFlight) request.destroy();
    await this.idle();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private isWithheld(event: SandboxEvent): boolean {
    const paymentIntentId = paymentIntentOfEvent(event);
    return paymentIntentId !== undefined && this.withheldIntents.has(paymentIntentId);
  }

  private releaseHeld(): void {
    if (this.heldTimer === undefined) return;
    clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    const events = this.held.reverse();
    this.held = [];
    this.sendGroup(events);
    this.done();
  }

  private sendGroup(events: readonly SandboxEvent[]): void {
    // Serialised once: every endpoint, copy and retry gets the same bytes, as from Stripe.
    const jobs = events.map((event) => ({ event, payload: JSON.stringify(event, null, 2) }));
    const copies = 1 + this.settings.duplicateDeliveries;
    for (const endpoint of this.settings.webhookEndpoints)
      this.track(this.sendInOrder(jobs, endpoint, copies));
  }

  private async sendInOrder(jobs: readonly Job[], endpoint: WebhookEndpoint, copies: number): Promise<void> {
    for (const job of jobs) {
      if (this.stopped) return;
      await Promise.all(Array.from({ length: copies }, (_, copy) => this.attempt(job, endpoint, copy, 1)));
    }
  }

  private async attempt(job: Job, endpoint: WebhookEndpoint, copy: number, attempt: number): Promise<void> {
    const status = await this.post(endpoint, job.payload);
    if (this.stopped) return;
    this.records.push({
      eventId: job.event.id,
      type: job.event.type,
      url: endpoint.url,
      status,
      attempt,
      copy,
    });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      if (copy === 0) this.onDelivered(job.event.id);
      return;
    }
    if (attempt >= this.settings.maxDeliveryAttempts) return;
    const delay = Math.min(this.settings.retryBackoffMs * 2 ** (attempt - 1), MAX_TIMER_MS);
    this.busy++;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.track(this.attempt(job, endpoint, copy, attempt + 1));
      this.done();
    }, delay);
    this.retryTimers.add(timer);
  }

  private post(endpoint: WebhookEndpoint, payload: string): Promise<AttemptStatus> {
    return new Promise((resolve) => {
      const url = new URL(endpoint.url);
      const secure = url.protocol === 'https:';
      const body = Buffer.from(payload, 'utf8');
      const request = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': body.length,
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          Accept: '*/*; q=0.5, application/xml',
          'Cache-Control': 'no-cache',
          'Stripe-Signature': signatureHeader(payload, endpoint.secret),
        },
      });
      const settle = (status: AttemptStatus) => {
        clearTimeout(timer);
        this.inFlight.delete(request);
        resolve(status);
      };
      const timer = setTimeout(() => {
        settle('timeout');
        request.destroy();
      }, this.settings.deliveryTimeoutMs);
      this.inFlight.add(request);
      request.on('error', () => settle('connection-error'));
      request.on('response', (response) => {
        // The body is read to its end so that the connection can carry the next delivery.
        response.resume();
        response.on('end', () => settle(response.statusCode ?? 0));
        response.on('error', () => settle('connection-error'));
      });
      request.end(body);
    });
  }

  private track(work: Promise<void>): void {
    this.busy++;
    void work.finally(() => this.done());
  }

  private done(): void {
    this.busy--;
    if (this.busy > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
