import { UsageError } from '../args.js';

/** `--filter name=value` flags (repeatable) as the engine's `filters` object: `{ name: [value, …] }`. */
export function parseFilters(specs: readonly string[]): Record<string, string[]> | undefined {
  if (!specs.length) return undefined;
  const filters: Record<string, string[]> = {};
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    if (equals <= 0) throw new UsageError(`invalid argument "${spec}" for "-f, --filter" flag: bad format of filter (expected name=value)`);
    const name = spec.slice(0, equals).trim().toLowerCase();
    (filters[name] ??= []).push(spec.slice(equals + 1).trim());
  }
  return filters;
}
