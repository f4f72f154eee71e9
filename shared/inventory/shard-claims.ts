/**
 * Which function instance books on a shard, and until when: a hint stored on the shard that lets the
 * instances of a hot event keep to different shards (see `ShardScheduler`). Never part of what a booking may
 * take, which its transaction alone decides.
 */
export interface ShardClaim {
  /** The instance's random id (one per process). */
  readonly by: string;
  /** Epoch milliseconds; a lapsed claim is no claim. */
  readonly untilMs: number;
}

/**
 * How long a booking's claim keeps other instances away: many times a booking's duration and the refresh
 * interval (see `ShardScheduler.refreshDue`), so that an instance booking on a shard keeps it, and short
 * enough that a shard an instance stopped using (it went idle or away) is free again within seconds.
 */
export const CLAIM_MS = 3_000;

/** Whether another instance than `instanceId` holds a live claim. */
export function claimedByAnother(claim: ShardClaim | undefined, instanceId: string, nowMs: number): boolean {
  return claim !== undefined && claim.by !== instanceId && claim.untilMs > nowMs;
}

/**
 * The claim a booking of `instanceId` leaves on a shard it takes from: its own, renewed, unless another
 * instance's claim is live. A booking that had to use another instance's shard leaves it to that instance:
 * taking the claim over would make both instances see the shard as theirs and keep meeting on it.
 */
export function claimAfterBooking(
  current: ShardClaim | undefined,
  instanceId: string,
  nowMs: number,
): ShardClaim {
  if (current !== undefined && claimedByAnother(current, instanceId, nowMs)) return current;
  return { by: instanceId, untilMs: nowMs + CLAIM_MS };
}
