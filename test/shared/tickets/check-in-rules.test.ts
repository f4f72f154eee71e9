import { decideOfflineScan, decideOnlineScan } from '../../../shared/tickets/check-in-rules';
import { codeHash, visibleTicketState } from '../../../shared/tickets/ticket';

const at = (minute: number) => new Date(Date.UTC(2027, 2, 1, 19, minute));

describe('visibleTicketState', () => {
  it('follows the record while the booking is confirmed, and is void once it is not', () => {
    expect(visibleTicketState('confirmed', undefined)).toEqual({ status: 'valid' });
    expect(visibleTicketState('confirmed', { status: 'checked_in', checkedInAt: at(1) })).toEqual({
      status: 'checked_in',
      checkedInAt: at(1),
    });
    expect(visibleTicketState('confirmed', { status: 'void' })).toEqual({ status: 'void' });
    expect(visibleTicketState('refund_pending', { status: 'valid' })).toEqual({ status: 'void' });
    expect(visibleTicketState('refunded', { status: 'checked_in', checkedInAt: at(1) })).toEqual({
      status: 'void',
      checkedInAt: at(1),
    });
  });
});

describe('codeHash', () => {
  it('is the lowercase hex SHA-256 of the code', () => {
    expect(codeHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('decideOnlineScan', () => {
  it('admits a valid ticket now and refuses checked-in and void ones', () => {
    expect(decideOnlineScan({ status: 'valid' }, at(5))).toEqual({
      outcome: 'checked_in',
      checkedInAt: at(5),
    });
    expect(decideOnlineScan({ status: 'checked_in', checkedInAt: at(9) }, at(5))).toEqual({
      outcome: 'already_checked_in',
      checkedInAt: at(9),
    });
    expect(decideOnlineScan({ status: 'void' }, at(5))).toEqual({ outcome: 'void' });
  });

  it('refuses a valid ticket as void while its refund hold lasts, and admits it once the hold has passed', () => {
    expect(decideOnlineScan({ status: 'valid' }, at(5), at(6))).toEqual({ outcome: 'void' });
    expect(decideOnlineScan({ status: 'valid' }, at(6), at(6))).toEqual({
      outcome: 'checked_in',
      checkedInAt: at(6),
    });
  });
});

describe('decideOfflineScan', () => {
  it('keeps the earliest scan: an earlier one replaces the recorded time, a later or equal one does not', () => {
    expect(decideOfflineScan({ status: 'valid' }, at(5))).toEqual({
      outcome: 'checked_in',
      checkedInAt: at(5),
    });
    expect(decideOfflineScan({ status: 'checked_in', checkedInAt: at(9) }, at(5))).toEqual({
      outcome: 'checked_in',
      checkedInAt: at(5),
    });
    expect(decideOfflineScan({ status: 'checked_in', checkedInAt: at(5) }, at(5))).toEqual({
      outcome: 'already_checked_in',
      checkedInAt: at(5),
    });
    expect(decideOfflineScan({ status: 'void' }, at(5))).toEqual({ outcome: 'void' });
  });
});
