import { latchingReadiness } from '../../src/identity/reachability';

describe('controller readiness for Probe', () => {
  it('stays false while the cloud check fails and latches true after the first success', async () => {
    const outcomes = [new Error('connection refused'), new Error('503'), undefined, new Error('later failure')];
    let checks = 0;
    const errors: string[] = [];
    const ready = latchingReadiness(
      async () => {
        const outcome = outcomes[checks++];
        if (outcome) throw outcome;
      },
      { onError: (e) => errors.push((e as Error).message) },
    );
    expect(await ready()).toBe(false);
    expect(await ready()).toBe(false);
    expect(await ready()).toBe(true);
    expect(await ready()).toBe(true);
    expect(checks).toBe(3);
    expect(errors).toEqual(['connection refused', '503']);
  });

  it('runs one check at a time however many probes arrive', async () => {
    let release!: () => void;
    let checks = 0;
    const ready = latchingReadiness(
      () => {
        checks += 1;
        return new Promise<void>((r) => (release = r));
      },
      { probeWaitMs: 10 },
    );
    const answers = await Promise.all([ready(), ready(), ready()]);
    expect(answers).toEqual([false, false, false]);
    expect(checks).toBe(1);
    release();
    expect(await ready()).toBe(true);
    expect(checks).toBe(1);
  });

  it('passes the check a signal that the stop signal aborts', async () => {
    const stop = new AbortController();
    let seen: AbortSignal | undefined;
    const ready = latchingReadiness(
      (signal) =>
        new Promise<void>((_r, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      { probeWaitMs: 10, stop: stop.signal },
    );
    expect(await ready()).toBe(false);
    stop.abort();
    expect(seen?.aborted).toBe(true);
    expect(await ready()).toBe(false);
  });

  it('with startNow, runs the first check before any probe and answers from it', async () => {
    let release!: () => void;
    let checks = 0;
    const ready = latchingReadiness(
      () => {
        checks += 1;
        return new Promise<void>((r) => (release = r));
      },
      { probeWaitMs: 10, startNow: true },
    );
    expect(checks).toBe(1);
    expect(await ready()).toBe(false);
    expect(checks).toBe(1);
    release();
    expect(await ready()).toBe(true);
    expect(checks).toBe(1);
  });

  it('with startNow and the stop signal already aborted, runs no check', async () => {
    const stop = new AbortController();
    stop.abort();
    let checks = 0;
    const ready = latchingReadiness(
      async () => {
        checks += 1;
      },
      { startNow: true, stop: stop.signal },
    );
    expect(await ready()).toBe(false);
    expect(checks).toBe(0);
  });
});
