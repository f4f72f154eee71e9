import type { AudiencePage, EventAudienceSource } from '../notifications/event-audience';
import type { WaitlistRepository } from './waitlist-repository';

/**
 * Users with a `waiting` or `offered` entry of the event, in join order: the waitlist's part of the audience
 * of `event.updated`. The cursor is the last entry's join number.
 */
export class WaitlistAudience implements EventAudienceSource {
  readonly name = 'waitlist';

  constructor(private readonly entries: Pick<WaitlistRepository, 'activeOfEvent'>) {}

  async page(eventId: string, after: string | undefined, limit: number): Promise<AudiencePage> {
    const page = await this.entries.activeOfEvent(
      eventId,
      limit,
      after === undefined ? undefined : Number(after),
    );
    const last = page.at(-1);
    return {
      userIds: page.map((entry) => entry.userId),
      next: page.length < limit || last === undefined ? undefined : String(last.seq),
    };
  }
}
