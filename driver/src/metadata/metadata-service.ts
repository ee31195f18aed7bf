import axios from 'axios';
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
    const response = await axios.get<string>(url, {
      timeout: options.timeoutMs,
      signal: options.signal,
      responseType: 'text',
      // Parse ourselves, so a non-JSON answer gets a clear error rather than a string passed along.
      transformResponse: (data: string) => data,
      // The metadata service is local to the hypervisor; no proxy from the environment may intercept it.
      proxy: false,
      // Node's http adapter, never the fetch one (the bundle leaves axios's fetch adapter out: scripts/bundle.js).
      adapter: 'http',
      maxRedirects: 0,
      validateStatus: () => true,
    });
    if (response.status !== 200) throw new Error(`${source}: HTTP ${response.status}`);
    body = response.data;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(source)) throw error;
    if (axios.isAxiosError(error)) {
      const why = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' ? `no answer within ${options.timeoutMs} ms` : (error.code ?? error.message);
      throw new Error(`${source}: ${why}`);
    }
    throw error;
  }
  return parseMetaData(body, source);
}
