/** What the node service needs from OpenStack's meta_data.json. */
export interface InstanceMetadata {
  /** The Nova instance uuid: the node id the controller attaches volumes to. */
  readonly uuid: string;
  /** Nova availability zone, when the metadata carries one. */
  readonly availabilityZone?: string;
}

/** The path of the document on a config drive and below the metadata service URL. */
export const META_DATA_PATH = 'openstack/latest/meta_data.json';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Parses meta_data.json, with an error naming the source and the field when it is not usable. */
export function parseMetaData(text: string, source: string): InstanceMetadata {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`${source}: meta_data.json is not valid JSON`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`${source}: meta_data.json is not a JSON object`);
  }
  const record = doc as Record<string, unknown>;
  const uuid = record.uuid;
  if (typeof uuid !== 'string' || !UUID.test(uuid)) {
    throw new Error(`${source}: meta_data.json field "uuid" is missing or not an instance uuid`);
  }
  const az = record.availability_zone;
  if (az !== undefined && az !== null && typeof az !== 'string') {
    throw new Error(`${source}: meta_data.json field "availability_zone" is not a string`);
  }
  return { uuid, availabilityZone: typeof az === 'string' && az.trim() !== '' ? az.trim() : undefined };
}
