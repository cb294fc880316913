/**
 * What the object commands (network, volume, node, service, secret, config, plugin) share: lists as tables,
 * `--format` and `--quiet`, inspect as a JSON array or a template, one action per name with the Docker
 * CLI's reporting, and reading a file or stdin (the prune confirmation is in ../confirm.ts).
 */
import { readFile } from 'node:fs/promises';
import type { FlagSpec } from '../args.js';
import { write, writeLine, type CliContext } from '../command.js';
import { CliError, errorMessage } from '../errors.js';
import { goJson } from '../format.js';
import { formatTable } from '../table.js';
import { compileTemplate } from '../template.js';

/** The `--filter`, `--format` and `--quiet` flags of a list command. */
export function listFlags(quietText: string): FlagSpec[] {
  return [
    { name: 'filter', short: 'f', type: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "name=value")' },
    { name: 'format', type: 'string', description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' },
    { name: 'quiet', short: 'q', type: 'boolean', description: quietText },
  ];
}

/** The `--format` flag of an inspect command. */
export const INSPECT_FORMAT: FlagSpec = { name: 'format', short: 'f', type: 'string', description: 'Format output using a custom template' };

/** How a list prints: the default table template, its column headers, and the field `--quiet` prints. */
export interface ListLayout {
  table: string;
  headers: Record<string, string>;
  quietField: string;
}

/** Prints rows as the Docker CLI's list commands do: a table, `--quiet` IDs, `json` lines or a template per row. */
export async function printRows(context: CliContext, rows: ReadonlyArray<Record<string, string>>, layout: ListLayout, format: string | undefined, quiet: boolean): Promise<void> {
  if (quiet) {
    await write(context.stdout, rows.map((row) => row[layout.quietField] + '\n').join(''));
    return;
  }
  const chosen = format ?? '';
  if (chosen === 'json') {
    await write(context.stdout, rows.map((row) => goJson(row) + '\n').join(''));
    return;
  }
  const template = chosen === '' || chosen === 'table' ? layout.table : chosen;
  const compiled = compileTemplate(template.replace(/^table\s*/, ''));
  if (template.startsWith('table')) {
    const lines = [compiled(layout.headers), ...rows.map((row) => compiled(row))].map((line) => line.split('\t'));
    await write(context.stdout, formatTable(lines));
  } else {
    await write(context.stdout, rows.map((row) => compiled(row) + '\n').join(''));
  }
}

/** Inspects each name: a JSON array (4-space indent, as the Docker CLI), or one template line each; errors after. */
export async function inspectEach(context: CliContext, names: readonly string[], format: string | undefined, lookup: (name: string) => Promise<unknown>): Promise<number> {
  const template = format ? compileTemplate(format) : undefined;
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      found.push(await lookup(name));
    } catch (error) {
      errors.push(errorMessage(error));
    }
  }
  if (template) await write(context.stdout, found.map((object) => template(object) + '\n').join(''));
  else await writeLine(context.stdout, goJson(found, 4));
  for (const error of errors) await writeLine(context.stderr, error);
  return errors.length ? 1 : 0;
}

/** Runs `action` for each name; prints what it returns (the name by default), each error on stderr; 1 if any failed. */
export async function eachName(context: CliContext, names: readonly string[], action: (name: string) => Promise<string | void>): Promise<number> {
  let failed = 0;
  for (const name of names) {
    try {
      await writeLine(context.stdout, (await action(name)) ?? name);
    } catch (error) {
      failed++;
      await writeLine(context.stderr, errorMessage(error));
    }
  }
  return failed ? 1 : 0;
}



/** The bytes of a file, or of stdin when the path is `-`. */
export async function readFileOrStdin(context: CliContext, path: string): Promise<Buffer> {
  if (path !== '-') {
    try {
      return await readFile(path);
    } catch (error) {
      throw new CliError(`Error: ${(error as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of context.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** `--label k=v` (repeatable) as an object; a label without `=` has an empty value. */
export function labelsFrom(specs: readonly string[]): Record<string, string> | undefined {
  if (!specs.length) return undefined;
  const labels: Record<string, string> = {};
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    if (equals < 0) labels[spec] = '';
    else labels[spec.slice(0, equals)] = spec.slice(equals + 1);
  }
  return labels;
}

/** A 12-character ID, unless `--no-trunc`. */
export function shortId(id: string | undefined, truncate = true): string {
  const text = (id ?? '').replace(/^sha256:/, '');
  return truncate ? text.slice(0, 12) : text;
}
