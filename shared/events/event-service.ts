import { randomUUID } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import type { AuditActor, AuditLog, AuditValue } from '../audit/audit-log';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors/domain-errors';
import type { AdminCaller } from '../http/http-types';
import type { InventoryStore } from '../inventory/inventory-store';
import type { EventUpdateJobs } from '../notifications/event-update-jobs';
import {
  isCancelled,
  layoutOf,
  toEventResponse,
  untouchedAvailability,
  withChanges,
  type EventChanges,
  type EventDetails,
  type EventResponse,
  type StoredEvent,
} from './event';
import { availabilityIn, availabilityOf } from './event-availability';
import type { EventRepository } from './event-repository';
import { hasStarted, startsAtIssues, tierIssues } from './event-rules';
import type { CancelEventBody, CreateEventBody, UpdateEventBody } from './event-schemas';
import type { CancellationJobRepository } from '../cancellations/cancellation-job-repository';

function throwIfInvalid(issues: readonly FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError('The event is invalid.', issues);
}

function notFound(): NotFoundError {
  return new NotFoundError('No such event.');
}

function cancelledConflict(): ConflictError {
  return new ConflictError(
    'event-cancelled',
    'The event is cancelled; nothing about it can change any more.',
  );
}

function adminActor(caller: AdminCaller): AuditActor {
  return { kind: 'admin', uid: caller.uid, companyId: caller.companyId };
}

function auditValue(value: EventDetails[keyof EventDetails]): AuditValue {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' && value !== null ? { lat: value.lat, lng: value.lng } : value;
}

/** Each field of `keys` with its value in `details`, for an audit entry. */
function auditedFields(
  details: EventDetails,
  keys: readonly (keyof EventDetails)[],
): Record<string, AuditValue> {
  return Object.fromEntries(keys.map((key) => [key, auditValue(details[key])]));
}

/** Creates, changes and reads events; the inventory follows the event in the same transaction. */
export class EventService {
  constructor(
    private readonly db: Firestore,
    private readonly events: EventRepository,
    private readonly inventory: InventoryStore,
    private readonly audit: AuditLog,
    private readonly cancellations: CancellationJobRepository,
    /** Announces changes of start time or venue to the event's audience (`event.updated`). */
    private readonly fanout: Pick<EventUpdateJobs, 'schedule'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates an event of the caller's company (from the token, never the body) together with its inventory.
   *
   * @throws ValidationError naming each field that breaks a rule.
   */
  async create(caller: AdminCaller, body: CreateEventBody): Promise<EventResponse> {
    const now = this.now();
    const details: EventDetails = { ...body, description: body.description ?? null };
    throwIfInvalid([...startsAtIssues(details.startsAt, now), ...tierIssues(details)]);
    const event: StoredEvent = {
      ...details,
      id: this.events.newId(),
      companyId: caller.companyId,
      version: 1,
      status: 'scheduled',
      createdAt: now,
      updatedAt: now,
    };
    await this.db.runTransaction(async (tx) => {
      // The SDK runs this again when a commit fails with UNAVAILABLE or DEADLINE_EXCEEDED, which may have
      // landed: the event's id is fixed outside, so a re-run finds its own event and writes nothing more.
      if ((await this.events.getIn(tx, event.id)) !== undefined) return;
      this.events.create(tx, event);
      this.inventory.initialise(tx, event.id, layoutOf(event));
      this.audit.record(
        tx,
        {
          action: 'event.created',
          actor: adminActor(caller),
          target: { companyId: event.companyId, eventId: event.id },
          details: {
            version: event.version,
            after: auditedFields(details, Object.keys(details) as (keyof EventDetails)[]),
          },
        },
        now,
      );
    });
    return toEventResponse(event, untouchedAvailability(layoutOf(event)));
  }

  /**
   * Applies `changes` if the client saw the current `version` (optimistic concurrency: of two updates from
   * the same version, the transaction makes exactly one win). A new ticket layout is planned by the
   * inventory in the same transaction, which refuses to drop tickets already held or sold. The request's
   * id is drawn before the first attempt and stored with the change, so an attempt that finds its own
   * earlier commit (landed, but reported as failed) answers with it instead of `stale-version`. A new start
   * time or venue schedules its `event.updated` announcement in the same transaction.
   *
   * @throws NotFoundError when the event does not exist or belongs to another company.
   * @throws ConflictError `event-cancelled`, `stale-version`, `event-started` or `capacity-in-use`.
   * @throws ValidationError when the changed event breaks a rule.
   */
  async update(caller: AdminCaller, body: UpdateEventBody): Promise<EventResponse> {
    const { id, version, ...changes } = body;
    const now = this.now();
    throwIfInvalid(changes.startsAt === undefined ? [] : startsAtIssues(changes.startsAt, now));
    const updateRequestId = randomUUID();
    const updated = await this.db.runTransaction(async (tx) => {
      const stored = await this.events.getIn(tx, id);
      if (stored === undefined || stored.companyId !== caller.companyId) throw notFound();
      if (stored.updateRequestId === updateRequestId) return stored;
      if (isCancelled(stored)) throw cancelledConflict();
      if (stored.version !== version) {
        throw new ConflictError(
          'stale-version',
          `The event is at version ${stored.version}, not ${version}: reload it and apply the change again.`,
        );
      }
      if (hasStarted(stored, now))
        throw new ConflictError('event-started', 'A started event cannot be changed.');
      const next = { ...this.changed(stored, changes, now), updateRequestId };
      const resize = await this.inventory.prepareResize(tx, id, layoutOf(stored), layoutOf(next));
      this.events.update(tx, next);
      resize.apply();
      const moved = next.startsAt.getTime() !== stored.startsAt.getTime() || next.venue !== stored.venue;
      if (moved) {
        const data = { version: next.version, startsAt: next.startsAt.toISOString(), venue: next.venue };
        this.fanout.schedule(tx, id, next.version, data, now);
      }
      const changed = Object.keys(changes) as (keyof EventDetails)[];
      this.audit.record(
        tx,
        {
          action: 'event.updated',
          actor: adminActor(caller),
          target: { companyId: stored.companyId, eventId: id },
          details: {
            version: next.version,
            before: auditedFields(stored, changed),
            after: auditedFields(next, changed),
          },
        },
        now,
      );
      return next;
    });
    return this.withAvailability(updated);
  }

  /**
   * Cancels the event if the admin saw its current `version`: in one transaction the event becomes
   * `cancelled` (nothing books, pays or changes it from then on), the audit trail records who and why, and
   * the job that settles its bookings is created (docs/cancellation.md). The request's id is stored with the
   * job, so a re-run of the transaction after a commit that landed answers with the cancelled event.
   *
   * @throws NotFoundError when the event does not exist or belongs to another company.
   * @throws ConflictError `event-cancelled`, `event-started` or `stale-version`.
   */
  async cancel(caller: AdminCaller, body: CancelEventBody): Promise<EventResponse> {
    const requestId = randomUUID();
    const now = this.now();
    const cancelled = await this.db.runTransaction(async (tx) => {
      const [stored, job] = await Promise.all([
        this.events.getIn(tx, body.id),
        this.cancellations.getIn(tx, body.id),
      ]);
      if (stored === undefined || stored.companyId !== caller.companyId) throw notFound();
      if (job?.requestId === requestId) return stored;
      if (isCancelled(stored)) throw new ConflictError('event-cancelled', 'The event is already cancelled.');
      if (hasStarted(stored, now))
        throw new ConflictError('event-started', 'A started event can no longer be cancelled.');
      if (stored.version !== body.version) {
        throw new ConflictError(
          'stale-version',
          `The event is at version ${stored.version}, not ${body.version}: reload it and decide again.`,
        );
      }
      const next: StoredEvent = {
        ...stored,
        status: 'cancelled',
        cancelledAt: now,
        cancellationReason: body.reason,
        version: stored.version + 1,
        updatedAt: now,
      };
      this.events.update(tx, next);
      this.cancellations.create(tx, {
        id: stored.id,
        companyId: stored.companyId,
        state: 'running',
        requestId,
        cancelledBy: caller.uid,
        createdAt: now,
      });
      this.audit.record(
        tx,
        {
          action: 'event.cancelled',
          actor: adminActor(caller),
          target: { companyId: stored.companyId, eventId: stored.id },
          details: { version: next.version, reason: body.reason },
        },
        now,
      );
      return next;
    });
    return this.withAvailability(cancelled);
  }

  /** Any signed-in caller may read any event. @throws NotFoundError when there is no such event. */
  async get(id: string): Promise<EventResponse> {
    const event = await this.events.find(id);
    if (event === undefined) throw notFound();
    return this.withAvailability(event);
  }

  private changed(stored: StoredEvent, changes: EventChanges, now: Date): StoredEvent {
    const details = withChanges(stored, changes);
    throwIfInvalid(tierIssues(details, new Set(Object.keys(changes) as (keyof EventDetails)[])));
    return { ...stored, ...details, version: stored.version + 1, updatedAt: now };
  }

  private async withAvailability(event: StoredEvent): Promise<EventResponse> {
    const availability = await availabilityOf(this.inventory, [event.id]);
    return toEventResponse(event, availabilityIn(availability, event.id));
  }
}
