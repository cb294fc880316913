import { InvalidArgumentError } from '../errors.js';

/**
 * `.dockerignore` matching with the semantics of the Docker CLI (moby's patternmatcher over Go's
 * filepath.Match syntax), written here from its documented behaviour:
 *
 * - `*` matches any run of characters except `/`; `?` one character except `/`; `[a-z]`, `[^a]` classes;
 *   `\` escapes the next character.
 * - `**` matches any number of directories (zero included); `**` at the end matches everything below.
 * - Patterns are cleaned like paths (`./a//b/` is `a/b`); a leading `/` is dropped by the file reader.
 * - A pattern matches a path when it matches the path itself or one of its parent directories.
 * - Patterns apply in order; a later `!pattern` re-includes what earlier patterns excluded.
 *
 * Why not a glob library (minimatch, picomatch): they follow shell/gitignore rules that differ from the
 * Docker CLI's on exactly the cases users hit (`*` crossing `/`, a pattern matching parent directories,
 * `**` in the middle), and the build context must be the one `docker build` would send.
 */

/** One cleaned pattern and whether it is an exception (`!`). */
export interface IgnorePattern {
  /** The cleaned pattern, without the leading `!`. */
  readonly pattern: string;
  readonly exclusion: boolean;
}

/** Per-directory results, so that children need not re-test their parents (`MatchesUsingParentResults`). */
export interface MatchInfo {
  readonly parentMatched: readonly boolean[];
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

class CompiledPattern implements IgnorePattern {
  readonly pattern: string;
  readonly exclusion: boolean;
  readonly #type: MatchType;
  readonly #regexp: RegExp | undefined;

  constructor(pattern: string, exclusion: boolean) {
    this.pattern = pattern;
    this.exclusion = exclusion;
    const { type, source } = compile(pattern);
    this.#type = type;
    this.#regexp = type === 'regexp' ? new RegExp(source, 'su') : undefined;
  }

  match(path: string): boolean {
    switch (this.#type) {
      case 'exact':
        return path === this.pattern;
      case 'prefix':
        return path.startsWith(this.pattern.slice(0, -2));
      case 'suffix': {
        const suffix = this.pattern.slice(2);
        if (path.endsWith(suffix)) return true;
        // `**/foo` matches `foo` itself.
        return suffix.startsWith('/') && path === suffix.slice(1);
      }
      case 'regexp':
        return this.#regexp!.test(path);
    }
  }
}

/** A list of `.dockerignore` patterns, ready to test paths (relative, `/`-separated) against. */
export class PatternMatcher {
  readonly patterns: readonly IgnorePattern[];
  readonly #compiled: CompiledPattern[];
  /** True when any pattern is an exception (`!`): excluded directories must then still be walked. */
  readonly hasExclusions: boolean;

  constructor(patterns: readonly string[]) {
    this.#compiled = [];
    for (const raw of patterns) {
      let pattern = raw.trim();
      if (pattern === '') continue;
      pattern = cleanPath(pattern);
      let exclusion = false;
      if (pattern.startsWith('!')) {
        if (pattern.length === 1) throw new InvalidArgumentError('Illegal exclusion pattern in .dockerignore: "!"');
        exclusion = true;
        pattern = pattern.slice(1);
      }
      validateGlob(pattern);
      this.#compiled.push(new CompiledPattern(pattern, exclusion));
    }
    this.patterns = this.#compiled;
    this.hasExclusions = this.#compiled.some((pattern) => pattern.exclusion);
  }

  /** Whether `path` (or one of its parent directories) is excluded by the patterns. */
  matches(path: string): boolean {
    return this.matchesUsingParentResults(path, undefined).matched;
  }

  /**
   * Like {@link matches}, reusing the parent directory's results: a pattern that matched the parent matches
   * the child. This is how the Docker CLI walks a context, and it decides a few corner cases.
   */
  matchesUsingParentResults(path: string, parent: MatchInfo | undefined): { matched: boolean; info: MatchInfo } {
    const parentMatched = parent?.parentMatched ?? [];
    const results: boolean[] = new Array<boolean>(this.#compiled.length).fill(false);
    let matched = false;
    this.#compiled.forEach((pattern, index) => {
      let match = parentMatched.length !== 0 ? parentMatched[index]! : false;
      if (!match) {
        // An inclusion cannot change a path already matched, nor an exception one not matched.
        if (pattern.exclusion !== matched) return;
        match = pattern.match(path);
        if (!match && parentMatched.length === 0) {
          const slash = path.lastIndexOf('/');
          if (slash > 0) {
            const parents = path.slice(0, slash).split('/');
            for (let i = 0; i < parents.length && !match; i++) match = pattern.match(parents.slice(0, i + 1).join('/'));
          }
        }
      }
      results[index] = match;
      if (match) matched = !pattern.exclusion;
    });
    return { matched, info: { parentMatched: results } };
  }
}

/** Go's `filepath.Clean` for `/`-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/** Translates a pattern into a regular expression, or notes the cheaper exact/prefix/suffix test. */
function compile(pattern: string): { type: MatchType; source: string } {
  let source = '^';
  let type: MatchType = 'exact';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        const first = i === 0;
        i++;
        // `**/` is `**`.
        if (chars[i + 1] === '/') i++;
        if (i + 1 >= chars.length) {
          // `**` at the end matches everything (as in .gitignore).
          if (type === 'exact') type = 'prefix';
          else {
            source += '.*';
            type = 'regexp';
          }
        } else {
          source += '(.*/)?';
          type = 'regexp';
        }
        if (first) type = 'suffix';
      } else {
        source += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      source += '[^/]';
      type = 'regexp';
    } else if (ESCAPED.has(ch)) {
      source += '\\' + ch;
    } else if (ch === '\\') {
      if (i + 1 < chars.length) source += '\\' + chars[++i];
      else source += '\\\\';
    } else if (ch === '[' || ch === ']') {
      source += ch;
      type = 'regexp';
    } else if (ch === '^' || ch === '/') {
      // Literal outside a class; inside a class `^` negates, as in Go.
      source += ch === '/' ? '/' : insideClass(chars, i) ? '^' : '\\^';
    } else {
      source += ch;
    }
  }
  return { type, source: source + '$' };
}

/** Whether position `at` is inside a `[...]` class opened earlier in the pattern. */
function insideClass(chars: string[], at: number): boolean {
  let open = false;
  for (let i = 0; i < at; i++) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === '[') open = true;
    else if (chars[i] === ']') open = false;
  }
  return open;
}

/** Rejects what Go's filepath.Match calls `ErrBadPattern`: an unclosed class, a bad range, a dangling `\`. */
export function validateGlob(pattern: string): void {
  const bad = () => new InvalidArgumentError(`Syntax error in .dockerignore pattern ${JSON.stringify(pattern)}`);
  const chars = [...pattern];
  let i = 0;
  for (; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\') {
      if (i + 1 >= chars.length) throw bad();
      i++;
    } else if (ch === '[') {
      i++;
      if (chars[i] === '^') i++;
      let count = 0;
      for (;;) {
        if (i >= chars.length) throw bad();
        if (chars[i] === ']' && count > 0) break;
        const low = classChar();
        if (chars[i] === '-') {
          i++;
          const high = classChar();
          if (low > high) throw bad();
        }
        count++;
      }
    }
  }

  function classChar(): string {
    let ch = chars[i];
    if (ch === undefined || ch === '-' || ch === ']') throw bad();
    if (ch === '\\') {
      i++;
      ch = chars[i];
      if (ch === undefined) throw bad();
    }
    i++;
    return ch;
  }
}
