import { HttpCallError, httpCall } from '../util/http-call';
import { META_DATA_PATH, parseMetaData, type InstanceMetadata } from './instance-metadata';

export interface MetadataServiceOptions {
  /** Base URL (production: http://169.254.169.254); tests use a server on 127.0.0.1. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** GETs meta_data.json from the OpenStack metadata service. */
export async function readMetadataService(options: MetadataServiceOptions): Promise<InstanceMetadata> {
  const url = `${options.url.replace(/\/+$/, '')}/${META_DATA_PATH}`;
  const source = `metadata service ${url}`;
  let body: string;
  try {
    // The metadata service is local to the hypervisor: reached directly (no proxy), no redirects followed; the
    // body is parsed here, so a non-JSON answer gets a clear error.
    const response = await httpCall({ method: 'GET', url, timeoutMs: options.timeoutMs, signal: options.signal });
    if (response.status !== 200) throw new Error(`${source}: HTTP ${response.status}`);
    body = response.text;
  } catch (error) {
    if (error instanceof HttpCallError) {
      const why = error.code === 'ETIMEDOUT' ? `no answer within ${options.timeoutMs} ms` : error.code;
      throw new Error(`${source}: ${why}`);
    }
    throw error;
  }
  return parseMetaData(body, source);
}
