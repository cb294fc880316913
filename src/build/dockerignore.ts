import { cleanPath } from './pattern-matcher.js';

/**
 * Reads `.dockerignore` text into patterns as the Docker CLI does: a line starting with `#` is a comment,
 * blank lines are skipped, surrounding spaces are trimmed, `!` marks an exception, each pattern is cleaned
 * like a path, and a leading `/` is dropped (patterns are relative to the context root anyway).
 */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    // The comment test comes before trimming: " #x" is a pattern, as in the CLI.
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exception ? '!' + pattern : pattern);
  }
  return patterns;
}
