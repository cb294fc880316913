import { InvalidArgumentError } from '../errors.js';

/** Rejects a value that is not an integer of at least `minimum` (when it is given at all). */
export function validateInteger(name: string, value: unknown, minimum: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw new InvalidArgumentError(`Invalid ${name} ${JSON.stringify(value)}: expected an integer of at least ${minimum}`);
  }
}

/** Accepts `SIGTERM`, `TERM`, `sigkill`, or a number such as `9`; rejects anything else before any request. */
export function validateSignalName(signal: string): void {
  if (!/^(SIG)?[A-Z][A-Z0-9+-]*$/i.test(signal) && !/^\d{1,2}$/.test(signal)) {
    throw new InvalidArgumentError(`Invalid signal "${signal}"`);
  }
}

/**
 * Checks the `version` that updates of versioned objects (swarm, nodes, services, secrets, configs, cluster
 * volumes) need: the object's current `Version.Index`, which the engine compares to avoid lost updates.
 */
export function requireVersion(query: { version?: unknown } | undefined): void {
  if (query?.version === undefined) {
    throw new InvalidArgumentError('An update needs the object\'s current version (Version.Index, from inspect)');
  }
  validateInteger('version', query.version, 0);
}

/** A log `tail`: a number of lines, or `all`. */
export function validateTail(tail: unknown): void {
  if (tail !== undefined && tail !== 'all' && !/^\d+$/.test(String(tail))) {
    throw new InvalidArgumentError(`Invalid tail "${String(tail)}": a number of lines or "all"`);
  }
}
