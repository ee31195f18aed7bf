import { and, ObjectTemplate, valuesRef } from './template';
import { CinderCsiValues } from './values';

/*
 * The top-level `enabled` value: a parent chart's `condition: cinder-csi.enabled` passes it into this chart's values,
 * and when it is false the chart renders nothing. The chart gates every object template on it; the CinderCsi construct
 * builds its parts outside the construct tree instead (lib/cinder-csi.ts), so both synthesize no object.
 */

const v = valuesRef<CinderCsiValues>();

/** `template`, rendered only when `enabled` is true (and its own condition holds). */
export function gatedOnEnabled(template: ObjectTemplate): ObjectTemplate {
  const own = template.enabledWhen;
  return Object.freeze({ ...template, enabledWhen: own === undefined ? v.enabled : and(v.enabled, own) });
}
