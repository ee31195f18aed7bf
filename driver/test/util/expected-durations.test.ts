import { describe, expect, test } from '@jest/globals';
import { durationKeys, ExpectedDurations, sizeBucket } from '../../src/util/expected-durations';
import { nextLookDelay, type LookPolicy } from '../../src/util/look-schedule';

const POLICY: LookPolicy = { poll: { initialMs: 100, maxMs: 2000, factor: 1.5, jitter: 0 }, minStepMs: 10, earlyLookMinMs: 8000 };

describe('ExpectedDurations', () => {
  test('knows nothing before the first observation', () => {
    expect(new ExpectedDurations().estimate(['create'])).toBeUndefined();
  });

  test('a bracketed end (seen not done, then done) counts as the middle of the two looks', () => {
    const d = new ExpectedDurations();
    d.observe(['create'], 1900, 2100);
    expect(d.estimate(['create'])).toEqual({ expectedMs: 2000, spread: 0.1, samples: 1 });
  });

  test('an end the first look already found counts a little earlier than that look, so the next wait looks sooner', () => {
    const d = new ExpectedDurations();
    d.observe(['create'], undefined, 2000);
    expect(d.estimate(['create'])?.expectedMs).toBe(1900);
  });

  test('the estimate is the median of the recent observations and the spread their 20-80 % range around it', () => {
    const d = new ExpectedDurations();
    for (const ms of [1000, 1000, 1000, 1000, 1000, 1000, 900, 1000, 5000]) d.observe(['k'], ms, ms);
    const e = d.estimate(['k']);
    expect(e?.expectedMs).toBe(1000);
    expect(e?.samples).toBe(9);
    expect(e?.spread).toBe(0.02);
  });

  test('only the last `window` observations count', () => {
    const d = new ExpectedDurations({ window: 3, minSpread: 0.02, maxSpread: 0.5, censoredShrink: 0.05 });
    for (const ms of [100, 100, 100, 500, 500, 500]) d.observe(['k'], ms, ms);
    expect(d.estimate(['k'])?.expectedMs).toBe(500);
  });

  test('the most specific key with observations answers; a new volume type starts from the kind in general', () => {
    const d = new ExpectedDurations();
    d.observe(durationKeys('create', 'ssd', 10), 3000, 3000);
    d.observe(durationKeys('create', 'hdd', 10), 9000, 9000);
    expect(d.estimate(durationKeys('create', 'ssd', 10))?.expectedMs).toBe(3000);
    expect(d.estimate(durationKeys('create', 'hdd', 10))?.expectedMs).toBe(9000);
    expect(d.estimate(durationKeys('create', 'nvme', 10))?.expectedMs).toBe(6000);
    expect(d.estimate(durationKeys('attach'))).toBeUndefined();
  });

  test('keys go from kind, type and size bucket to the kind alone', () => {
    expect(durationKeys('create', 'ssd', 10)).toEqual(['create|ssd|<=16GiB', 'create|ssd', 'create']);
    expect(durationKeys('attach', 'ssd')).toEqual(['attach|ssd', 'attach']);
    expect(durationKeys('delete')).toEqual(['delete']);
    expect([1, 2, 4, 5, 64, 65, 1024, 1025].map(sizeBucket)).toEqual(['<=1GiB', '<=4GiB', '<=4GiB', '<=16GiB', '<=64GiB', '<=256GiB', '<=1024GiB', '>1024GiB']);
  });
});

describe('nextLookDelay', () => {
  test('without an estimate: the growing backoff (initialMs, then half the age, capped)', () => {
    expect(nextLookDelay(0, undefined, POLICY)).toBe(100);
    expect(nextLookDelay(1000, undefined, POLICY)).toBe(500);
    expect(nextLookDelay(60_000, undefined, POLICY)).toBe(2000);
  });

  test('with one: no look before the expected end less half its spread, then one every step around it', () => {
    const e = { expectedMs: 2000, spread: 0.02, samples: 9 };
    expect(nextLookDelay(0, e, POLICY)).toBe(1980);
    expect(nextLookDelay(1980, e, POLICY)).toBe(40);
    expect(nextLookDelay(2000, e, POLICY)).toBe(40);
    expect(nextLookDelay(2060, e, POLICY)).toBe(40);
  });

  test('the densest step is minStepMs', () => {
    expect(nextLookDelay(100, { expectedMs: 100, spread: 0.02, samples: 9 }, POLICY)).toBe(10);
  });

  test('past the expected end by more than the spread: backing off with the overrun, up to the cap', () => {
    const e = { expectedMs: 2000, spread: 0.02, samples: 9 };
    expect(nextLookDelay(2200, e, POLICY)).toBe(100);
    expect(nextLookDelay(3000, e, POLICY)).toBe(500);
    expect(nextLookDelay(60_000, e, POLICY)).toBe(2000);
  });

  test('a long expected operation gets a few early looks, halving towards the start while at least earlyLookMinMs', () => {
    const e = { expectedMs: 60_000, spread: 0, samples: 9 };
    expect(nextLookDelay(0, e, POLICY)).toBe(15_000);
    expect(nextLookDelay(15_000, e, POLICY)).toBe(15_000);
    expect(nextLookDelay(30_000, e, POLICY)).toBe(30_000);
    expect(nextLookDelay(0, { expectedMs: 10_000, spread: 0, samples: 9 }, POLICY)).toBe(10_000);
  });
});
