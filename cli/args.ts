/**
 * A small flag parser that behaves like the Docker CLI's (spf13/pflag): grouped short flags (`-it`),
 * `--name=x` and `--name x`, `-ex` and `-e x`, repeatable flags, `--` to end the flags, and, for commands
 * that run another command (`run`, `create`, `exec`), stopping at the first positional so that
 * `berth run busybox echo -n hi` hands `-n` to `echo`. `node:util`'s `parseArgs` cannot stop there.
 */

/** How a flag takes its value: a switch, one string (the last one wins), or a list (repeatable). */
export type FlagType = 'boolean' | 'string' | 'list';

/** One flag a command accepts. */
export interface FlagSpec {
  /** Long name without dashes: `name` for `--name`. */
  name: string;
  /** One-letter short name without the dash: `e` for `-e`. */
  short?: string;
  type: FlagType;
  /** One line for `--help`. */
  description: string;
  /** Shown in `--help` after the flag, e.g. `string`, `list`. */
  valueName?: string;
  /** Shown in `--help` as the default. */
  defaultText?: string;
}

/** A command-line mistake: the message is printed with the command's usage. */
export class UsageError extends Error {
  /** 125 for flag errors (as the Docker CLI), 1 for a wrong number of arguments. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 125) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}

/** The flags and positional arguments of one command line. */
export class ParsedArgs {
  readonly positionals: string[];
  readonly #values: Map<string, boolean | string | string[]>;

  constructor(values: Map<string, boolean | string | string[]>, positionals: string[]) {
    this.#values = values;
    this.positionals = positionals;
  }

  /** Whether the flag was given at all (even as `--flag=false`). */
  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** A switch's value (false when absent). */
  bool(name: string): boolean {
    return this.#values.get(name) === true;
  }

  /** A string flag's value (the last one given), or undefined. */
  string(name: string): string | undefined {
    const value = this.#values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  /** A repeatable flag's values, in order (empty when absent). */
  list(name: string): string[] {
    const value = this.#values.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** A string flag as an integer, or a {@link UsageError} naming the flag. */
  integer(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^[+-]?\d+$/.test(text.trim())) {
      throw new UsageError(`invalid argument "${text}" for "--${name}" flag: strconv.ParseInt: parsing "${text}": invalid syntax`);
    }
    return Number(text);
  }
}

/** Options of {@link parseArgs}. */
export interface ParseOptions {
  /** False: the first positional ends the flags (everything after it is positional). Default true. */
  interspersed?: boolean;
}

/** Parses `argv` (without the command names) against the command's flags. */
export function parseArgs(argv: readonly string[], flags: readonly FlagSpec[], options: ParseOptions = {}): ParsedArgs {
  const interspersed = options.interspersed ?? true;
  const byLong = new Map(flags.map((flag) => [flag.name, flag]));
  const byShort = new Map(flags.filter((flag) => flag.short).map((flag) => [flag.short!, flag]));
  const values = new Map<string, boolean | string | string[]>();
  const positionals: string[] = [];

  const set = (flag: FlagSpec, value: string | boolean) => {
    if (flag.type === 'list') {
      const list = (values.get(flag.name) as string[] | undefined) ?? [];
      list.push(String(value));
      values.set(flag.name, list);
    } else {
      values.set(flag.name, value);
    }
  };

  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    index += 1;
    if (arg === '--') {
      positionals.push(...argv.slice(index));
      break;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = arg.slice(2, equals < 0 ? undefined : equals);
      const flag = byLong.get(name);
      if (!flag) throw new UsageError(`unknown flag: --${name}`);
      if (flag.type === 'boolean') {
        set(flag, equals < 0 ? true : parseBoolean(arg.slice(equals + 1), `--${name}`));
      } else if (equals >= 0) {
        set(flag, arg.slice(equals + 1));
      } else {
        if (index >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
        set(flag, argv[index]!);
        index += 1;
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A group of short flags: switches until one takes a value (the rest, or the next argument).
      for (let at = 1; at < arg.length; at += 1) {
        const letter = arg[at]!;
        const flag = byShort.get(letter);
        if (!flag) throw new UsageError(`unknown shorthand flag: '${letter}' in ${arg}`);
        if (flag.type === 'boolean') {
          if (arg[at + 1] === '=') {
            set(flag, parseBoolean(arg.slice(at + 2), `-${letter}`));
            break;
          }
          set(flag, true);
          continue;
        }
        let value = arg.slice(at + 1);
        if (value.startsWith('=')) value = value.slice(1);
        else if (value === '') {
          if (index >= argv.length) throw new UsageError(`flag needs an argument: '${letter}' in -${letter}`);
          value = argv[index]!;
          index += 1;
        }
        set(flag, value);
        break;
      }
      continue;
    }
    positionals.push(arg);
    if (!interspersed) {
      positionals.push(...argv.slice(index));
      break;
    }
  }
  return new ParsedArgs(values, positionals);
}

function parseBoolean(text: string, flag: string): boolean {
  // The spellings Go's strconv.ParseBool accepts.
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new UsageError(`invalid argument "${text}" for "${flag}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
}

/** The flag list of `--help`: `  -e, --env list   Set environment variables`. */
export function formatFlagHelp(flags: readonly FlagSpec[]): string {
  const rows = flags.map((flag) => {
    const names = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}`;
    const value = flag.type === 'boolean' ? '' : ` ${flag.valueName ?? (flag.type === 'list' ? 'list' : 'string')}`;
    const description = flag.description + (flag.defaultText ? ` (default ${flag.defaultText})` : '');
    return [`  ${names}${value}`, description] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 3;
  return rows.map(([left, description]) => left.padEnd(width) + description).join('\n');
}
