import { redact } from '../auth/redact.js';
import { DockerError } from '../errors.js';
import type { ApiCall } from './api-client.js';

/** Keys whose values are secrets in an auth config (X-Registry-Auth, X-Registry-Config, the /auth body). */
const SECRET_KEYS = new Set(['password', 'identitytoken', 'registrytoken', 'auth']);
/** Headers that carry base64url JSON auth configs. */
const AUTH_HEADERS = ['x-registry-auth', 'x-registry-config'];

/**
 * The secrets a call carries: passwords and tokens in its registry-auth headers (and the raw header values), and
 * in the body of `POST /auth`. An engine or registry that echoes one back in an error must not put it in front of
 * the user, or into their logs.
 */
export function secretsOf(call: ApiCall): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    if (value === undefined || !AUTH_HEADERS.includes(name.toLowerCase())) continue;
    secrets.push(value);
    try {
      collect(JSON.parse(Buffer.from(value, 'base64').toString('utf8')), secrets);
    } catch {
      // Not JSON: the raw value is still redacted.
    }
  }
  if (call.operation === 'SystemAuth') collect(call.body, secrets);
  return secrets;
}

function collect(value: unknown, into: string[]): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && SECRET_KEYS.has(key.toLowerCase()) && inner !== '') {
      into.push(inner);
      if (key.toLowerCase() === 'auth') {
        // `auth` is base64 of `user:password`: the password alone may be echoed too.
        const decoded = Buffer.from(inner, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0) into.push(decoded.slice(colon + 1));
      }
    } else {
      collect(inner, into);
    }
  }
}

/** Removes `secrets` from a Berth error's message (in place) and returns it; other values are returned as they are. */
export function redactError<E>(error: E, secrets: readonly string[]): E {
  if (secrets.length > 0 && error instanceof DockerError) {
    const clean = redact(error.message, secrets);
    if (clean !== error.message) {
      error.message = clean;
      if (error.stack) error.stack = redact(error.stack, secrets);
    }
  }
  return error;
}

/** `value` with `secrets` removed from every string in it (plain JSON values; bytes and other objects as they are). */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = redactValue(inner, secrets);
    return out as T;
  }
  return value;
}
