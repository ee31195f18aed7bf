import { aborted } from '../grpc/errors';

/**
 * CSI pagination tokens wrap Cinder's marker (the last id of the previous page) with a prefix, so that a token
 * from another listing or a mangled one is recognised and answered with ABORTED, as the spec requires.
 */
const UUID_LIKE = /^[0-9A-Za-z-]{1,64}$/;

export function encodeToken(kind: 'v' | 's', marker: string | undefined): string {
  return marker === undefined ? '' : `${kind}1.${marker}`;
}

export function decodeToken(kind: 'v' | 's', token: string): string | undefined {
  if (token === '') return undefined;
  const prefix = `${kind}1.`;
  const marker = token.startsWith(prefix) ? token.slice(prefix.length) : '';
  if (!UUID_LIKE.test(marker)) {
    throw aborted(`starting_token: "${token}" is not a token this plugin issued`);
  }
  return marker;
}
