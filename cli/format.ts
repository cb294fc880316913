/**
 * The Docker CLI's human formats (from its go-units library): durations ("About a minute"), sizes in
 * decimal units ("1.984MB") and binary units ("23.54GiB"), timestamps, and Go's JSON escaping.
 */

/** "Less than a second", "1 second", "5 minutes", "About an hour", "3 days" … for a duration in milliseconds. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(milliseconds / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(milliseconds / 3_600_000 / 24 / 365)} years`;
}

/** "2 minutes ago" for a moment given in Unix seconds. */
export function timeAgo(unixSeconds: number, now = Date.now()): string {
  return `${humanDuration(now - unixSeconds * 1000)} ago`;
}

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scaled(size: number, base: number, units: string[], precision: number): string {
  let value = size;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit += 1;
  }
  // Go's %.Ng: N significant digits, trailing zeros dropped.
  return `${Number(value.toPrecision(precision))}${units[unit]}`;
}

/** A size in decimal units with 4 significant digits, e.g. `1.984MB`, `0B` (go-units HumanSize). */
export function humanSize(bytes: number, precision = 4): string {
  return scaled(bytes, 1000, DECIMAL_UNITS, precision);
}

/** A size in binary units, e.g. `23.54GiB` (go-units BytesSize). */
export function bytesSize(bytes: number): string {
  return scaled(bytes, 1024, BINARY_UNITS, 4);
}

/** A Unix time as Go's `time.Time.String()` prints it in local time: `2026-11-23 17:36:40 +0000 UTC`. */
export function goTimeString(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}${pad(Math.abs(offsetMinutes) % 60)}`;
  // Loading Intl's time zone data costs ~15 ms of a one-shot run; UTC (the usual server zone) needs none.
  const zone = offsetMinutes === 0 && isUtcZone() ? 'UTC'
    : new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time} ${offset} ${zone === 'GMT' ? 'UTC' : zone}`;
}

function isUtcZone(): boolean {
  const tz = process.env.TZ;
  return tz === undefined || tz === '' || tz === 'UTC' || tz === 'Etc/UTC' || tz === ':UTC';
}

/** JSON as Go's encoder writes it: `<`, `>` and `&` escaped, so output matches the Docker CLI byte for byte. */
export function goJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration such as `10m`, `1h30m`, `1.5s`, `300ms` into milliseconds; undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!match) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const part of text.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNITS[part[2]!]!;
  }
  return match[1] === '-' ? -total : total;
}

/**
 * A `--since`/`--until` value as Unix seconds, as the Docker CLI accepts it: a duration before now (`10m`),
 * Unix seconds (`1700000000` or `1700000000.5`), or an RFC 3339 time or date (`2024-01-02T15:04:05Z`, `2024-01-02`).
 */
export function parseTimestamp(text: string, now = Date.now()): number | undefined {
  if (text === '') return undefined;
  const duration = parseGoDuration(text);
  if (duration !== undefined) return (now - duration) / 1000;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.test(text)) {
    // A time without a zone is local time, as Go's time.ParseInLocation(…, time.Local) reads it.
    const milliseconds = Date.parse(text.replace(' ', 'T'));
    if (!Number.isNaN(milliseconds)) return milliseconds / 1000;
  }
  return undefined;
}
