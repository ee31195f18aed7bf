import { describe, expect, jest, test } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { abortError } from '../../src/grpc/call-abort';
import { CsiError } from '../../src/grpc/errors';
import { pollInterval, StatusBatcher } from '../../src/util/status-batcher';

const FAST = { poll: { initialMs: 5, maxMs: 20, factor: 1.5, jitter: 0.3 }, maxConsecutiveFailures: 3 };

/** A tiny "cloud" whose objects change status when the test says so; the batcher lists it like GET /volumes/detail. */
function world() {
  const state = new Map<string, string>();
  let listings = 0;
  const fetch = async (): Promise<ReadonlyMap<string, string>> => {
    listings++;
    await new Promise((r) => setImmediate(r));
    return new Map(state);
  };
  return { state, fetch, listings: () => listings };
}

const untilAvailable = (s: string | undefined): string | undefined => {
  if (s === undefined) throw new Error('gone');
  if (s === 'error') throw new Error('went to error');
  return s === 'available' ? s : undefined;
};

describe('StatusBatcher', () => {
  test('many concurrent waits on different objects share one listing per tick', async () => {
    const w = world();
    const batcher = new StatusBatcher(w.fetch, abortError, FAST);
    for (let i = 0; i < 200; i++) w.state.set(`v${i}`, 'creating');
    const waits = [...Array(200).keys()].map((i) => batcher.wait(`v${i}`, untilAvailable));
    await new Promise((r) => setTimeout(r, 30));
    for (let i = 0; i < 200; i++) w.state.set(`v${i}`, 'available');
    await expect(Promise.all(waits)).resolves.toHaveLength(200);
    // One poll loop per wait would have listed at least 400 times (200 waits x 2 observations).
    expect(w.listings()).toBeLessThan(50);
    expect(batcher.pendingWaits).toBe(0);
  });

  test('waits that start at different moments fall into step and share listings', async () => {
    // The real case: concurrent CreateVolume calls get their POST answered one after another, so their waits
    // start staggered. Each listing must serve every wait, and the listings must not follow each wait's own
    // schedule: fewer listings than waits, where a schedule per wait would list several times per wait.
    const w = world();
    const batcher = new StatusBatcher(w.fetch, abortError, { poll: { initialMs: 20, maxMs: 200, factor: 1.5, jitter: 0.3 }, maxConsecutiveFailures: 3 });
    const waits: Array<Promise<string>> = [];
    for (let i = 0; i < 40; i++) {
      w.state.set(`v${i}`, 'creating');
      waits.push(batcher.wait(`v${i}`, untilAvailable));
      await new Promise((r) => setTimeout(r, 3));
    }
    await new Promise((r) => setTimeout(r, 150));
    for (let i = 0; i < 40; i++) w.state.set(`v${i}`, 'available');
    await expect(Promise.all(waits)).resolves.toHaveLength(40);
    expect(w.listings()).toBeLessThan(40);
  });

  test('a wait polls fast while young, then about half its age, never beyond the cap', () => {
    const poll = { initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0 };
    expect(pollInterval(0, poll)).toBe(100);
    expect(pollInterval(150, poll)).toBe(100);
    expect(pollInterval(1000, poll)).toBe(500);
    expect(pollInterval(60_000, poll)).toBe(2000);
    // Jitter only ever shortens an interval, and by at most the jitter fraction.
    const jittered = { ...poll, jitter: 0.3 };
    expect(pollInterval(1000, jittered, () => 0)).toBe(350);
    expect(pollInterval(1000, jittered, () => 1)).toBe(500);
  });

  test('a wait sees a transition on the next listing and reports the check result', async () => {
    const w = world();
    w.state.set('a', 'creating');
    const batcher = new StatusBatcher(w.fetch, abortError, FAST);
    const done = batcher.wait('a', untilAvailable);
    w.state.set('a', 'available');
    await expect(done).resolves.toBe('available');
  });

  test('a failing check (object went to error or vanished) rejects only that wait', async () => {
    const w = world();
    w.state.set('ok', 'available');
    w.state.set('bad', 'error');
    const batcher = new StatusBatcher(w.fetch, abortError, FAST);
    await expect(batcher.wait('bad', untilAvailable)).rejects.toThrow('went to error');
    await expect(batcher.wait('missing', untilAvailable)).rejects.toThrow('gone');
    await expect(batcher.wait('ok', untilAvailable)).resolves.toBe('available');
  });

  test('cancelling the caller returns CANCELLED promptly and stops polling when nobody waits', async () => {
    const w = world();
    w.state.set('a', 'creating');
    const batcher = new StatusBatcher(w.fetch, abortError, FAST);
    const controller = new AbortController();
    const waiting = batcher.wait('a', untilAvailable, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: status.CANCELLED });
    const after = w.listings();
    await new Promise((r) => setTimeout(r, 50));
    expect(w.listings()).toBe(after);
  });

  test('a passed deadline returns DEADLINE_EXCEEDED naming what was awaited', async () => {
    const w = world();
    w.state.set('a', 'creating');
    const batcher = new StatusBatcher(w.fetch, abortError, FAST);
    const deadline = Date.now() + 30;
    const signal = AbortSignal.timeout(30);
    const error = await batcher.wait('a', untilAvailable, { signal, deadline, what: 'volume a to become available' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsiError);
    expect(error).toMatchObject({ code: status.DEADLINE_EXCEEDED });
    expect((error as Error).message).toContain('volume a to become available');
  });

  test('listing failures are tolerated a few times, then fail the waits with the listing error', async () => {
    let calls = 0;
    const batcher = new StatusBatcher<string>(async () => {
      calls++;
      if (calls <= 2) throw new Error('503 from cinder');
      if (calls <= 3) return new Map([['a', 'available']]);
      throw new Error('cinder is down');
    }, abortError, FAST);
    await expect(batcher.wait('a', untilAvailable)).resolves.toBe('available');
    await expect(batcher.wait('a', untilAvailable)).rejects.toThrow('cinder is down');
  });

  test('each look-up is told which ids are due and which are awaited (so a few waits can be answered by direct GETs)', async () => {
    const asked: Array<{ due: string[]; awaited: string[] }> = [];
    const batcher = new StatusBatcher<string>(async (due, _signal, awaited) => {
      asked.push({ due: [...due].sort(), awaited: [...awaited].sort() });
      return new Map([...due].map((id) => [id, 'available']));
    }, abortError, FAST);
    await Promise.all([batcher.wait('a', untilAvailable), batcher.wait('b', untilAvailable)]);
    expect(asked[0]?.awaited).toEqual(['a', 'b']);
    expect(asked.flatMap((a) => a.due).sort()).toEqual(['a', 'b']);
  });

  test('an already-aborted signal rejects without listing', async () => {
    const w = world();
    const batcher = new StatusBatcher(w.fetch, abortError, FAST);
    const controller = new AbortController();
    controller.abort();
    await expect(batcher.wait('a', untilAvailable, { signal: controller.signal })).rejects.toMatchObject({ code: status.CANCELLED });
    expect(w.listings()).toBe(0);
  });
});

describe('StatusBatcher with learnt durations', () => {
  /** An object that turns available `endsAfterMs` after each wait starts, observed under jest's fake clock. */
  /** Returns how long after its start the wait ended. */
  async function waitOnce(batcher: StatusBatcher<string>, state: Map<string, string>, id: string, endsAfterMs: number): Promise<number> {
    state.set(id, 'creating');
    setTimeout(() => state.set(id, 'available'), endsAfterMs);
    const start = Date.now();
    let endedAt = -1;
    const done = batcher.wait(id, untilAvailable, { durationKeys: ['create'] }).then((v) => {
      endedAt = Date.now();
      return v;
    });
    await jest.advanceTimersByTimeAsync(endsAfterMs * 3);
    await expect(done).resolves.toBe('available');
    return endedAt - start;
  }

  test('after a few operations of a kind, a wait of that kind looks at most three times, all around the expected end', async () => {
    jest.useFakeTimers();
    try {
      const state = new Map<string, string>();
      const looks: number[] = [];
      const batcher = new StatusBatcher<string>(async (due) => {
        looks.push(Date.now());
        return new Map([...due].map((id) => [id, state.get(id) as string]));
      }, abortError, { ...FAST, poll: { initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0 } });
      await waitOnce(batcher, state, 'cold', 2000);
      const coldLooks = looks.length;
      expect(coldLooks).toBeGreaterThan(4);
      for (let i = 0; i < 5; i++) await waitOnce(batcher, state, `warm-${i}`, 2000);
      looks.length = 0;
      const start = Date.now();
      await waitOnce(batcher, state, 'learnt', 2000);
      expect(looks.length).toBeLessThanOrEqual(3);
      // Seen within one look step (2 % of 2 s) of its end, never after a look far from it.
      expect((looks[looks.length - 1] as number) - start).toBeGreaterThanOrEqual(2000);
      expect((looks[looks.length - 1] as number) - start).toBeLessThanOrEqual(2040);
      expect((looks[0] as number) - start).toBeGreaterThanOrEqual(1900);
    } finally {
      jest.useRealTimers();
    }
  });

  test('an operation far slower than learnt is still seen: past the expected end the wait backs off with the overrun', async () => {
    jest.useFakeTimers();
    try {
      const state = new Map<string, string>();
      let lookCount = 0;
      const batcher = new StatusBatcher<string>(async (due) => {
        lookCount++;
        return new Map([...due].map((id) => [id, state.get(id) as string]));
      }, abortError, { ...FAST, poll: { initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0 } });
      for (let i = 0; i < 5; i++) await waitOnce(batcher, state, `usual-${i}`, 1000);
      lookCount = 0;
      const took = await waitOnce(batcher, state, 'slow', 10_000);
      // Past the expected end (~1 s), looks are spaced by half the overrun at most: seen within 4.5 s of the end.
      expect(took).toBeGreaterThanOrEqual(10_000);
      expect(took).toBeLessThanOrEqual(10_000 + 0.5 * 9_000);
      expect(lookCount).toBeLessThan(16);
    } finally {
      jest.useRealTimers();
    }
  });

  test('waits not due are answered by a look-up that returned them anyway, and only due ids are asked for', async () => {
    const state = new Map([['a', 'available'], ['b', 'available']]);
    const asked: string[][] = [];
    const batcher = new StatusBatcher<string>(async (due, _signal, awaited) => {
      asked.push([...due].sort());
      return new Map([...awaited].map((id) => [id, state.get(id) as string]));
    }, abortError, FAST);
    batcher.durations.observe(['slow'], 60_000, 60_000);
    const slow = batcher.wait('b', untilAvailable, { durationKeys: ['slow'] });
    await expect(batcher.wait('a', untilAvailable)).resolves.toBe('available');
    await expect(slow).resolves.toBe('available');
    expect(asked).toEqual([['a']]);
  });
});
