import type { Topology, TopologyRequirement__Output } from '../grpc/services';
// The one topology segment this driver reports and honours: the Cinder/Nova availability zone.
import { ZONE_TOPOLOGY_KEY } from '../topology-key';

/**
 * The availability zone to create a volume in: preferred topologies first (the CO ranks them, usually starting
 * with the zone of the node the pod was scheduled to), then requisite ones. Segments without the zone key are
 * ignored. Undefined lets Cinder choose (its default zone).
 */
export function zoneFromRequirements(requirements: TopologyRequirement__Output | null): string | undefined {
  if (!requirements) return undefined;
  for (const topology of [...requirements.preferred, ...requirements.requisite]) {
    const zone = topology.segments[ZONE_TOPOLOGY_KEY];
    if (zone) return zone;
  }
  return undefined;
}

/** Zones the requirements allow (requisite); empty when any zone will do. */
export function allowedZones(requirements: TopologyRequirement__Output | null): string[] {
  if (!requirements) return [];
  return requirements.requisite.map((t) => t.segments[ZONE_TOPOLOGY_KEY]).filter((z): z is string => Boolean(z));
}

export function accessibleTopology(zone: string | undefined): Topology[] {
  return zone ? [{ segments: { [ZONE_TOPOLOGY_KEY]: zone } }] : [];
}

/** Every zone the requirements mention, preferred first, without repeats. */
export function requestedZones(requirements: TopologyRequirement__Output | null): string[] {
  if (!requirements) return [];
  const zones = [...requirements.preferred, ...requirements.requisite].map((t) => t.segments[ZONE_TOPOLOGY_KEY]).filter((z): z is string => Boolean(z));
  return [...new Set(zones)];
}
