import { isRetriedTransactionFailure } from '../../../shared/firebase/firestore-errors';

function grpcError(code: number, message = `${code} error`): Error {
  return Object.assign(new Error(message), { code });
}

describe('isRetriedTransactionFailure', () => {
  it.each([
    ['ABORTED', 10],
    ['UNAVAILABLE', 14],
    ['DEADLINE_EXCEEDED', 4],
    ['INTERNAL', 13],
    ['RESOURCE_EXHAUSTED', 8],
  ])('is true for %s, which the SDK retries', (_name, code) => {
    expect(isRetriedTransactionFailure(grpcError(code))).toBe(true);
  });

  it('is true for an expired transaction, what a Commit retried after it landed gets', () => {
    const expired = grpcError(
      3,
      '3 INVALID_ARGUMENT: The referenced transaction has expired or is no longer valid.',
    );
    expect(isRetriedTransactionFailure(expired)).toBe(true);
  });

  it('is false for other invalid arguments, failed preconditions, existing documents and plain errors', () => {
    expect(isRetriedTransactionFailure(grpcError(3, '3 INVALID_ARGUMENT: bad field'))).toBe(false);
    expect(isRetriedTransactionFailure(grpcError(9))).toBe(false);
    expect(isRetriedTransactionFailure(grpcError(6))).toBe(false);
    expect(isRetriedTransactionFailure(new Error('no code'))).toBe(false);
  });
});
