import { logDomainEvent } from '../../../shared/logging/domain-events';

describe('logDomainEvent', () => {
  it('writes one structured line with the listed fields only', () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const payment = {
        paymentId: 'p1',
        bookingId: 'b1',
        amount: 5000,
        currency: 'eur',
        clientSecret: 'pi_1_secret_x',
      };
      logDomainEvent({ name: 'payment.succeeded', fields: payment });
    } finally {
      write.mockRestore();
    }
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(entry).toMatchObject({
      severity: 'INFO',
      message: 'payment.succeeded',
      domainEvent: 'payment.succeeded',
      paymentId: 'p1',
      bookingId: 'b1',
      amount: 5000,
      currency: 'eur',
    });
    expect(JSON.stringify(entry)).not.toContain('secret');
  });
});
