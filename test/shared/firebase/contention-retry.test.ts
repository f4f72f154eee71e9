import { withContentionRetry } from '../../../shared/firebase/contention-retry';
import { RateLimitedError } from '../../../shared/errors/domain-errors';

process.env.LOG_LEVEL = 'silent';

const POLICY = { quickAttempts: 3, maxQuickPauseMs: 1, patientAttempts: 5 };

function aborted(): Error {
  return Object.assign(new Error('10 ABORTED: Too much contention on these documents.'), { code: 10 });
}

/** An attempt that loses `losses` lock conflicts, then succeeds; it records the SDK attempts it was given. */
function flaky(losses: number) {
  const calls: number[] = [];
  const run = async (sdkAttempts: number): Promise<string> => {
    calls.push(sdkAttempts);
    if (calls.length <= losses) throw aborted();
    return 'done';
  };
  return { runs: { quick: () => run(1), patient: run }, calls };
}

describe('withContentionRetry', () => {
  it('retries lost conflicts quickly with single attempts, then once with the SDK retries', async () => {
    const { runs, calls } = flaky(3);
    await expect(withContentionRetry(runs, POLICY)).resolves.toBe('done');
    expect(calls).toEqual([1, 1, 1, 5]);
  });

  it('asks the caller to come back later (429) when even the SDK retries lose', async () => {
    const { runs } = flaky(4);
    const error = await withContentionRetry(runs, POLICY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(1);
  });

  it('repeats an attempt whose commit may have landed (UNAVAILABLE), and passes it on if it outlasts the retries', async () => {
    const failure = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    const calls: number[] = [];
    const fail = async (sdkAttempts: number): Promise<never> => {
      calls.push(sdkAttempts);
      throw failure;
    };
    await expect(withContentionRetry({ quick: () => fail(1), patient: fail }, POLICY)).rejects.toBe(failure);
    expect(calls).toEqual([1, 1, 1, 5]);
  });

  it('passes an error the SDK would not retry on at once', async () => {
    const failure = Object.assign(new Error('9 FAILED_PRECONDITION'), { code: 9 });
    let calls = 0;
    const fail = async (): Promise<never> => {
      calls += 1;
      throw failure;
    };
    await expect(withContentionRetry({ quick: fail, patient: fail }, POLICY)).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});
