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
