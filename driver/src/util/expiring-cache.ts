/**
 * Remembers one value per key for a while, and shares a single in-flight load between concurrent callers, so
 * slowly changing cloud facts (volume types) are not fetched once per CSI call.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly loading = new Map<K, Promise<V>>();

  constructor(private readonly ttlMs: number) {}

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) {
      return entry.value;
    }
    const pending = this.loading.get(key);
    if (pending) {
      return pending;
    }
    const promise = load()
      .then((value) => {
        this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }

  invalidate(key: K): void {
    this.entries.delete(key);
  }
}
