/**
 * Sets `key` in `map` as its newest entry (a Map iterates in insertion order: oldest first), dropping the oldest
 * entries first so that it holds at most `max`: the registry's caches keyed by what a client sends (login tokens,
 * namespaces, addresses) stay bounded whatever it sends.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  while (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
