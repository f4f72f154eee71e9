import type { Firestore } from 'firebase-admin/firestore';
import type { PaymentRepository } from '../../payments/payment-repository';
import { PAYMENTS_COLLECTION } from '../../payments/payment-repository';
import type { DataSubject, ExportSections, PersonalDataPart } from '../personal-data';
import { rewriteWhere } from '../user-keyed-documents';

/**
 * Payment attempts (`payments`): kept for accounting under the pseudonym. They hold no name, email or
 * phone, and the PaymentIntents we create carry only booking and payment ids in their metadata, so Stripe
 * holds nothing of ours to erase (the card holder's details Stripe keeps are Stripe's, as processor).
 */
export class PaymentData implements PersonalDataPart {
  readonly name = 'payments';

  constructor(
    private readonly db: Firestore,
    private readonly payments: PaymentRepository,
  ) {}

  async exportOf(uid: string): Promise<ExportSections> {
    const payments = await this.payments.allOfUser(uid);
    return {
      payments: payments
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((payment) => ({
          id: payment.id,
          bookingId: payment.bookingId,
          attempt: payment.attempt,
          amount: payment.amount,
          currency: payment.currency.toUpperCase(),
          status: payment.status,
          createdAt: payment.createdAt.toISOString(),
          updatedAt: payment.updatedAt.toISOString(),
        })),
    };
  }

  async erase(subject: DataSubject): Promise<void> {
    await rewriteWhere(this.db, PAYMENTS_COLLECTION, 'userId', subject.uid, {
      update: { userId: subject.pseudonym },
    });
  }
}
