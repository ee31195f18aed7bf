import { describe, expect, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { operationPending } from '../../src/grpc/errors';
import { InFlightGuard } from '../../src/util/in-flight';
import { Backoff } from '../../src/util/backoff';

describe('InFlightGuard', () => {
  test('a second concurrent operation on the same key is ABORTED and the first completes', async () => {
    const guard = new InFlightGuard(operationPending);
    let release!: () => void;
    const first = guard.run(['name:pvc-1'], () => new Promise<string>((r) => (release = () => r('first'))));
    await expect(guard.run(['name:pvc-1'], async () => 'second')).rejects.toMatchObject({
      code: status.ABORTED,
      message: 'an operation for name:pvc-1 is already in progress; retry later',
    });
    release();
    await expect(first).resolves.toBe('first');
    await expect(guard.run(['name:pvc-1'], async () => 'third')).resolves.toBe('third');
  });

  test('any overlapping key aborts, disjoint keys run concurrently, and keys are released after a failure', async () => {
    const guard = new InFlightGuard(operationPending);
    let release!: () => void;
    const first = guard.run(['vol:a', 'name:x'], () => new Promise<void>((r) => (release = r)));
    await expect(guard.run(['vol:b', 'name:x'], async () => 1)).rejects.toMatchObject({ code: status.ABORTED });
    await expect(guard.run(['vol:b'], async () => 2)).resolves.toBe(2);
    release();
    await first;
    await expect(guard.run(['vol:a'], async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(guard.size).toBe(0);
  });
});

describe('Backoff', () => {
  test('grows by the factor up to the cap, with jitter inside [base*(1-jitter), base]', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 }, () => 0);
    expect([1, 2, 3, 4, 5].map(() => low.next())).toEqual([50, 100, 200, 400, 500]);
    const high = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 }, () => 1);
    expect([1, 2, 3, 4, 5].map(() => high.next())).toEqual([100, 200, 400, 800, 1000]);
  });

  test('rejects nonsensical options', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10, factor: 2, jitter: 0 })).toThrow('initialMs');
  });
});
