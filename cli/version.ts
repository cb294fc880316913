import { readFileSync } from 'node:fs';

/**
 * The CLI's version: the package's own, read from its package.json (one small read, only when a command asks
 * for it, instead of keeping a second copy of the number in the code). The nearest package.json named
 * `berth` above this module: the module sits at dist/cli/ in the plain build and at dist/bin/ in the bundle.
 */
export function cliVersion(): string {
  for (let up = '../'; up.length <= 12; up += '../') {
    try {
      const text = readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8');
      const manifest = JSON.parse(text) as { name?: string; version?: string };
      if (manifest.name === 'berth') return manifest.version ?? 'unknown';
    } catch {
      // Not here: one level up.
    }
  }
  return 'unknown';
}
