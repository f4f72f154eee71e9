/** How a test card's charge is declined: the `code`, `decline_code` and message of Stripe's card error. */
export interface CardDecline {
  code: string;
  declineCode?: string;
  message: string;
  /** `outcome.reason` / `outcome.type` of the failed charge. */
  outcomeReason: string;
  outcomeType: 'issuer_declined' | 'blocked';
}

/** The card behind a test PaymentMethod. */
export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  country: string;
  fingerprint: string;
  /** Absent for cards whose charges succeed. */
  decline?: CardDecline;
}

const GENERIC_DECLINE: CardDecline = {
  code: 'card_declined',
  declineCode: 'generic_decline',
  message: 'Your card was declined.',
  outcomeReason: 'generic_decline',
  outcomeType: 'issuer_declined',
};

/**
 * Stripe's test PaymentMethod tokens (docs.stripe.com/testing) that the sandbox understands. Confirming with
 * one creates a new `pm_...` PaymentMethod for that card, as in Stripe's test mode.
 */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: {
    brand: 'visa',
    last4: '4242',
    funding: 'credit',
    country: 'US',
    fingerprint: 'sbxVisa4242',
  },
  pm_card_visa_debit: {
    brand: 'visa',
    last4: '5556',
    funding: 'debit',
    country: 'US',
    fingerprint: 'sbxVisa5556',
  },
  pm_card_mastercard: {
    brand: 'mastercard',
    last4: '4444',
    funding: 'credit',
    country: 'US',
    fingerprint: 'sbxMc4444',
  },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    funding: 'credit',
    country: 'US',
    fingerprint: 'sbxVisa0002',
    decline: GENERIC_DECLINE,
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    funding: 'credit',
    country: 'US',
    fingerprint: 'sbxVisa9995',
    decline: {
      ...GENERIC_DECLINE,
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      outcomeReason: 'insufficient_funds',
    },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    funding: 'credit',
    country: 'US',
    fingerprint: 'sbxVisa0069',
    decline: {
      code: 'expired_card',
      message: 'Your card has expired.',
      outcomeReason: 'expired_card',
      outcomeType: 'issuer_declined',
    },
  },
};
