import * as z from 'zod';
import { seededRandom } from '../seeded-random';
import type { StoredMessage } from './messages';

/**
 * Delivery faults of the emulator (docs/local-pubsub-emulator.md, Delivery faults): Pub/Sub delivers at
 * least once and not in any promised time, so a subscriber must survive a message delivered again after
 * it was acknowledged, and one that comes late. Off by default.
 */
export const deliveryFaultSettingsSchema = z.strictObject({
  /** An acknowledged delivery is delivered once more with this probability (each duplicate draws again). */
  duplicateFraction: z.number().min(0).max(1).default(0),
  /** A delivery waits `delayMs` before it is handed out with this probability. */
  delayFraction: z.number().min(0).max(1).default(0),
  /** How long a delayed delivery waits. */
  delayMs: z.int().min(0).max(600_000).default(0),
  /** Only messages whose data, read as UTF-8, contains this (e.g. an event id); every message otherwise. */
  dataContains: z.string().min(1).optional(),
  /** Seed of the draws, so that a run can be replayed; default 1. */
  seed: z.int().min(0).default(1),
});

/** Delivery fault settings as configured. */
export type DeliveryFaultSettings = z.infer<typeof deliveryFaultSettingsSchema>;

/** Delivery fault settings as given: any field may be left to its default. */
export type DeliveryFaultSettingsInput = z.input<typeof deliveryFaultSettingsSchema>;

/** How many deliveries the faults duplicated and delayed. */
export interface InjectedDeliveryFaults {
  readonly duplicated: number;
  readonly delayed: number;
}

/** What a delivery queue asks before handing out a message and after it was acknowledged. */
export interface DeliveryFaults {
  /** Milliseconds to hold the delivery back before it is handed out; 0 to hand it out now. */
  delayMs(message: StoredMessage): number;
  /** Whether an acknowledged delivery is to be delivered again. */
  duplicate(message: StoredMessage): boolean;
}

/** Parses and checks delivery fault settings from JSON text (an environment variable or a flag). */
export function parseDeliveryFaults(json: string): DeliveryFaultSettings {
  return deliveryFaultSettingsSchema.parse(JSON.parse(json));
}

/**
 * Decides which deliveries are delayed or duplicated, for every subscription of the emulator; off until
 * {@link DeliveryFaultInjector.configure} says otherwise. Only matching messages consume draws, so a
 * replay meets the same decisions for them whatever else is published meanwhile.
 */
export class DeliveryFaultInjector implements DeliveryFaults {
  private settings: DeliveryFaultSettings = deliveryFaultSettingsSchema.parse({});
  private random = seededRandom(1);
  private injected = { duplicated: 0, delayed: 0 };

  /** Replaces the settings and restarts the draws; answers what the replaced settings injected. */
  configure(settings: DeliveryFaultSettings): InjectedDeliveryFaults {
    const injected = this.injected;
    this.settings = settings;
    this.random = seededRandom(settings.seed);
    this.injected = { duplicated: 0, delayed: 0 };
    return injected;
  }

  /** The settings in force. */
  current(): DeliveryFaultSettings {
    return this.settings;
  }

  delayMs(message: StoredMessage): number {
    const { delayFraction, delayMs } = this.settings;
    if (!this.draws(message, delayFraction)) return 0;
    this.injected.delayed += 1;
    return delayMs;
  }

  duplicate(message: StoredMessage): boolean {
    if (!this.draws(message, this.settings.duplicateFraction)) return false;
    this.injected.duplicated += 1;
    return true;
  }

  private draws(message: StoredMessage, fraction: number): boolean {
    if (fraction === 0) return false;
    const { dataContains } = this.settings;
    if (dataContains !== undefined && !message.data.toString('utf8').includes(dataContains)) return false;
    return this.random() < fraction;
  }
}
