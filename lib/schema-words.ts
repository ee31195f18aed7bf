/*
 * What a values error says in words instead of JSON Schema terms: each `pattern` of the values schema as a sentence
 * (the constructs and cinder-csi-render print it instead of the regular expression; a test checks that every pattern
 * of the schema has one), and the known key nearest to an unknown one ("did you mean").
 */

const DNS_NAME = 'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit';
const DNS_LABEL = 'lower-case letters, digits and "-", starting and ending with a letter or digit';
const LABEL_VALUE = 'at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
const QUANTITY = 'a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi';

/** The words for each pattern of the values schema, keyed by the pattern exactly as the schema writes it. */
export const PATTERN_WORDS: Readonly<Record<string, string>> = Object.freeze({
  '^[^\\n\\r]*$': 'must be a single line (no line break)',
  '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$': `must be a DNS name: ${DNS_NAME}`,
  '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$': `must be empty or a DNS name: ${DNS_NAME}`,
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': `must be a DNS label: ${DNS_LABEL}`,
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$': `must be empty or a DNS label: ${DNS_LABEL}`,
  '^[^\\s/]*(/[^\\s/]+)*$': 'must be a registry host, optionally with a path (e.g. mirror.example:5000/k8s), without spaces or a trailing "/"',
  '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$': `must be a label value: empty or ${LABEL_VALUE}`,
  '^(https?://[^\\s"]+)?$': 'must be empty or an http:// or https:// URL without spaces or quotes',
  '^(http://[^\\s"]+)?$': 'must be empty or an http:// URL without spaces or quotes',
  '^[^\\s"]*$': 'must contain no spaces or quotes',
  '^(public|internal|admin)?$': 'must be empty, "public", "internal" or "admin"',
  '^((configDrive|metadataService)(,(configDrive|metadataService))?)?$':
    'must be empty, "configDrive", "metadataService" or both comma-separated (e.g. "configDrive,metadataService")',
  '^[-._a-zA-Z0-9]+$': 'must be a Secret key: letters, digits, "-", "_" and "."',
  '^/[^\\n\\r]*$': 'must be an absolute path (starting with "/") on a single line',
  '^/([^\\n\\r]*[^/\\n\\r])?$': 'must be an absolute path (starting with "/", without a trailing "/") on a single line',
  '^[^\\s]+$': 'must be a non-empty word without spaces',
  '^[-._a-zA-Z][-._a-zA-Z0-9]*$': 'must be an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit',
  '^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$': 'must be a duration such as 15s, 1m30s or 1.5h (units ns, us, ms, s, m, h)',
  '^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$': 'must be empty or a Prometheus duration with its units in the order h, m, s, ms (e.g. 30s, 1m30s)',
  '^(ext4|xfs|ext3)$': 'must be "ext4", "xfs" or "ext3"',
  '^(sha256:[a-f0-9]{64})?$': 'must be empty or an image digest "sha256:" followed by 64 lower-case hex digits',
  '^(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$': `must be ${QUANTITY}`,
});

/** What a value failing `pattern` must be, in words; the pattern itself only for one without words. */
export function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? `must match the regular expression ${pattern}`;
}

/** Levenshtein distance between two keys, compared case-insensitively. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * The known key an unknown key most likely misspells: the nearest by edit distance (letter case ignored), if at most
 * a third of the longer key differs (at least one edit); undefined when none is that close. Ties go to the first known key.
 */
export function nearestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const key of known) {
    const d = distance(unknown, key);
    if (d < bestDistance && d <= Math.max(1, Math.floor(Math.max(unknown.length, key.length) / 3))) {
      best = key;
      bestDistance = d;
    }
  }
  return best;
}
