/**
 * A small subset of Go's text/template, enough for the `--format` strings people pass to the Docker CLI:
 * `{{.Field.Sub}}`, `{{json .Config}}`, `{{.Names | upper}}`, `{{index .Config.Labels "k"}}`,
 * `{{join .Args ","}}`, `{{len .Mounts}}`, `{{printf "%s" .Id}}`, `{{.Label "key"}}` (a row's method), and
 * `\t`/`\n` escapes. Values print as
 * Go prints them (`[a b]` for lists, `map[k:v]` for objects, `<no value>` for a missing key).
 * Control actions (`if`, `range`, `with`) are not supported and are reported as such.
 */
import { UsageError } from './args.js';
import { goJson } from './format.js';

type Piece = { text: string } | { action: string };

const MISSING = Symbol('no value');

/** A compiled template: call it with the data (the inspected object, or a row of a list). */
export type Template = (data: unknown) => string;

/** Compiles a format string; a syntax error or an unsupported action is a {@link UsageError}. */
export function compileTemplate(source: string): Template {
  const format = source.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const pieces: Piece[] = [];
  let position = 0;
  for (const match of format.matchAll(/\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g)) {
    let text = format.slice(position, match.index);
    if (match[1] === '-') text = text.replace(/\s+$/, '');
    if (text) pieces.push({ text });
    const action = match[2]!;
    if (/^(if|range|with|else|end|define|template|block)\b/.test(action)) {
      throw new UsageError(`template: "${action.split(/\s/)[0]}" is not supported in --format by berth`, 1);
    }
    if (!action.startsWith('/*')) pieces.push({ action });
    position = match.index! + match[0].length;
    if (match[3] === '-') {
      const rest = format.slice(position);
      position += rest.length - rest.replace(/^\s+/, '').length;
    }
  }
  if (format.slice(position).includes('{{')) throw new UsageError(`template: unclosed action in "${source}"`, 1);
  if (position < format.length) pieces.push({ text: format.slice(position) });
  return (data) => pieces.map((piece) => ('text' in piece ? piece.text : printValue(evaluatePipeline(piece.action, data)))).join('');
}

function evaluatePipeline(action: string, data: unknown): unknown {
  let value: unknown = MISSING;
  let first = true;
  for (const command of splitOutsideQuotes(action, '|')) {
    const tokens = command.trim().match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? [];
    if (!tokens.length) throw new UsageError(`template: empty command in "${action}"`, 1);
    const [head, ...rest] = tokens as [string, ...string[]];
    const args = rest.map((token) => evaluateArgument(token, data));
    if (!first) args.push(value);
    if (head in FUNCTIONS) {
      value = FUNCTIONS[head]!(...args);
    } else if (args.length === 0) {
      value = evaluateArgument(head, data);
    } else if (head.startsWith('.') && typeof evaluateArgument(head, data) === 'function') {
      // A method with arguments, as the docker CLI's list rows have: `{{.Label "com.example.key"}}`.
      value = (evaluateArgument(head, data) as (...values: unknown[]) => unknown)(...args);
    } else {
      throw new UsageError(`template: function "${head}" not defined`, 1);
    }
    first = false;
  }
  return value;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === '`') {
      quote = char;
    } else if (char === separator) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

function evaluateArgument(token: string, data: unknown): unknown {
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (token.startsWith('`')) return token.slice(1, -1);
  if (token === '.') return data;
  if (token.startsWith('.')) {
    let value: unknown = data;
    for (const name of token.slice(1).split('.')) {
      if (value === null || value === undefined || typeof value !== 'object') return MISSING;
      if (!(name in (value as object))) return MISSING;
      value = (value as Record<string, unknown>)[name];
    }
    return value;
  }
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token === 'true' || token === 'false') return token === 'true';
  if (token === 'nil') return null;
  throw new UsageError(`template: function "${token}" not defined`, 1);
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  json: (value) => goJson(value === MISSING ? null : value),
  upper: (value) => printValue(value).toUpperCase(),
  lower: (value) => printValue(value).toLowerCase(),
  title: (value) => printValue(value).replace(/\b\w/g, (letter) => letter.toUpperCase()),
  len: (value) => (Array.isArray(value) || typeof value === 'string' ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0),
  join: (list, separator) => (Array.isArray(list) ? list.map(printValue).join(String(separator)) : printValue(list)),
  split: (text, separator) => printValue(text).split(String(separator)),
  index: (value, ...keys) => {
    let current = value;
    for (const key of keys) {
      if (current === null || typeof current !== 'object') return MISSING;
      current = (current as Record<string, unknown>)[String(key)];
      if (current === undefined) return MISSING;
    }
    return current;
  },
  println: (...values) => values.map(printValue).join(' ') + '\n',
  print: (...values) => values.map(printValue).join(''),
  printf: (format, ...values) => {
    let index = 0;
    return String(format).replace(/%([svdq%])/g, (_, verb: string) => {
      if (verb === '%') return '%';
      const value = values[index++];
      return verb === 'q' ? JSON.stringify(printValue(value)) : printValue(value);
    });
  },
};

/** A value as Go's `fmt.Print` shows it. */
export function printValue(value: unknown): string {
  if (value === MISSING || value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${key}:${printValue((value as Record<string, unknown>)[key])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}
