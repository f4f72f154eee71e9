import type * as z from 'zod';
import { getEventQuerySchema } from '../events/event-schemas';

/** `GET /eventSales?id=`: the event, named as `getEvent` names it. */
export const eventSalesQuerySchema = getEventQuerySchema;

/** The validated query of `GET /eventSales`. */
export type EventSalesQuery = z.infer<typeof eventSalesQuerySchema>;
