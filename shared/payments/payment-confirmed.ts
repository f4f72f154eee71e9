import * as z from 'zod';

/** The topic the contract names for confirmed payments. */
export const PAYMENT_CONFIRMED_TOPIC = 'payment-confirmed';

/** The message on {@link PAYMENT_CONFIRMED_TOPIC}, exactly as the contract lists its fields. */
export const paymentConfirmedSchema = z.strictObject({
  bookingId: z.string().min(1),
  userId: z.string().min(1),
  eventId: z.string().min(1),
  paymentId: z.string().min(1),
  amount: z.int().min(0),
  currency: z.string().min(1),
  confirmedAt: z.iso.datetime(),
});

export type PaymentConfirmed = z.infer<typeof paymentConfirmedSchema>;
