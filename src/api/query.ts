/** A query object as the Engine's operations take it: engine parameter names, plain values. */
export type QueryValues = object;

/**
 * Serialises query parameters the way the engine reads them: booleans as `true`/`false`, numbers in
 * decimal, arrays as repeated keys (`names`, `platform`, `changes`), objects (`filters`) as JSON.
 * `undefined` is left out.
 */
export function encodeQuery(query: QueryValues | undefined): string {
  if (query === undefined) return '';
  let out = '';
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const key = encodeURIComponent(name);
    for (const item of Array.isArray(value) ? value : [value]) {
      out += (out ? '&' : '?') + key + '=' + encodeURIComponent(queryText(item));
    }
  }
  return out;
}

function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
