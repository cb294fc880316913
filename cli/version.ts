import { readFileSync } from 'node:fs';

/**
 * The CLI's version: the package's own, read from package.json next to `dist/` (one small read, only when
 * a command asks for it, instead of keeping a second copy of the number in the code). This module sits two
 * levels below it both in the plain build (dist/cli/) and in the bundle (dist/bin/cli.js).
 */
export function cliVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
