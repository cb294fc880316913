import { InvalidArgumentError } from '../errors.js';

/** Compares two API versions such as `1.41` and `1.9`; negative when `a` is older. */
export function compareApiVersions(a: string, b: string): number {
  const [aMajor, aMinor] = parseApiVersion(a);
  const [bMajor, bMinor] = parseApiVersion(b);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/** Parses `1.NN`; anything else is rejected (an API version is never a free string in a path). */
export function parseApiVersion(version: string): [number, number] {
  const match = /^v?(\d+)\.(\d+)$/.exec(version.trim());
  if (!match) throw new InvalidArgumentError(`Invalid API version "${version}": expected a version such as 1.41`);
  return [Number(match[1]), Number(match[2])];
}

/** The normal form of an API version: no leading `v`, no spaces. */
export function normalizeApiVersion(version: string): string {
  const [major, minor] = parseApiVersion(version);
  return `${major}.${minor}`;
}

/** The version to speak: the lower of what the engine offers and the newest this client knows. */
export function chooseApiVersion(engineVersion: string, newestKnown: string): string {
  return compareApiVersions(engineVersion, newestKnown) < 0 ? normalizeApiVersion(engineVersion) : newestKnown;
}
