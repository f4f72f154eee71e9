import { newTickets } from '../../../shared/tickets/ticket-codes';

describe('newTickets', () => {
  it('issues one ticket per seat with distinct 128-bit codes', () => {
    let next = 0;
    const tickets = newTickets(50, () => `t${(next += 1)}`);
    expect(tickets).toHaveLength(50);
    expect(new Set(tickets.map((ticket) => ticket.code)).size).toBe(50);
    for (const { code } of tickets) expect(Buffer.from(code, 'base64url')).toHaveLength(16);
  });
});
