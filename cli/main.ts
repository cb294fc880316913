#!/usr/bin/env node
/**
 * The `berth` command: global flags (`-H/--host`, `-c/--context`, `--config`, `--tls*`, `-v/--version`,
 * `--help`), then one command from the command table. The endpoint is resolved by the library, in the docker
 * CLI's order. Runs as a one-shot process, so it imports the library and a command's module only when
 * that command runs. Exit codes follow the Docker CLI: 0, 1 on errors, 125 on flag errors, or what the
 * command says (a container's exit code for `run`).
 */
import type { Docker, ResolveEndpointOptions } from '../src/index.js';
import { formatFlagHelp, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args.js';
import type { CliContext, Command } from './command.js';
import { commands, findCommand, groups } from './commands/index.js';
import { CliError, errorMessage, exitCodeFor } from './errors.js';
import { cliVersion } from './version.js';

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'host', short: 'H', type: 'string', description: 'Daemon socket to connect to' },
  { name: 'context', short: 'c', type: 'string', description: 'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")' },
  { name: 'config', type: 'string', description: 'Location of client config files', defaultText: '"~/.docker"' },
  { name: 'tls', type: 'boolean', description: 'Use TLS; implied by --tlsverify' },
  { name: 'tlsverify', type: 'boolean', description: 'Use TLS and verify the remote' },
  { name: 'tlscacert', type: 'string', description: 'Trust certs signed only by this CA', defaultText: '"~/.docker/ca.pem"' },
  { name: 'tlscert', type: 'string', description: 'Path to TLS certificate file', defaultText: '"~/.docker/cert.pem"' },
  { name: 'tlskey', type: 'string', description: 'Path to TLS key file', defaultText: '"~/.docker/key.pem"' },
  { name: 'version', short: 'v', type: 'boolean', description: 'Print version information and quit' },
  { name: 'help', short: 'h', type: 'boolean', description: 'Print usage' },
  { name: 'debug', short: 'D', type: 'boolean', description: 'Enable debug mode' },
  { name: 'log-level', short: 'l', type: 'string', description: 'Set the logging level' },
];

const HELP_FLAG: FlagSpec = { name: 'help', type: 'boolean', description: 'Print usage' };

async function main(argv: string[]): Promise<number> {
  // Global flags come before the command name.
  let split = 0;
  while (split < argv.length && argv[split]!.startsWith('-') && argv[split] !== '-') {
    const takesValue = /^(-H|--host|-c|--context|--config|--tlscacert|--tlscert|--tlskey|-l|--log-level)$/.test(argv[split]!);
    split += takesValue ? 2 : 1;
  }
  let globals;
  try {
    globals = parseArgs(argv.slice(0, split), GLOBAL_FLAGS);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\nSee 'berth --help'.\n`);
    return 125;
  }
  const rest = argv.slice(split);
  if (globals.bool('version')) {
    process.stdout.write(`berth version ${cliVersion()}\n`);
    return 0;
  }
  if (rest.length === 0) {
    process.stdout.write(mainHelp());
    return 0;
  }

  const [first, second] = rest;
  let name = first!;
  let consumed = 1;
  if (first! in groups) {
    if (second === undefined || second.startsWith('-')) {
      process.stdout.write(groupHelp(first!));
      return 0;
    }
    name = `${first} ${second}`;
    consumed = 2;
  }
  const entry = findCommand(name);
  if (!entry) {
    process.stderr.write(`berth: unknown command: berth ${name}\n\nRun 'berth ${first! in groups ? `${first} ` : ''}--help' for more information\n`);
    return 1;
  }
  const command = await entry.load();
  const commandPath = `berth ${name}`;
  // `-h` means help too, except where a command uses it for something else (`run -h HOSTNAME`).
  const helpFlag = command.flags.some((flag) => flag.short === 'h') ? HELP_FLAG : { ...HELP_FLAG, short: 'h' };
  const flags = command.flags.some((flag) => flag.name === 'help') ? command.flags : [...command.flags, helpFlag];
  const usageTail = `\n\nUsage:  ${commandPath} ${command.usage}\n\nRun '${commandPath} --help' for more information\n`;
  let args;
  try {
    args = parseArgs(rest.slice(consumed), flags, { interspersed: command.interspersed });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}${usageTail}`);
    return error.exitCode;
  }
  if (args.bool('help')) {
    process.stdout.write(commandHelp(commandPath, command));
    return 0;
  }
  const countError = argumentCountError(commandPath, command, args.positionals.length);
  if (countError) {
    // The docker CLI says "See" after "requires at least N", "Run" after its other argument errors.
    const tail = countError.includes('requires at least') && !countError.includes('at most') ? usageTail.replace("\nRun '", "\nSee '") : usageTail;
    process.stderr.write(`berth: ${countError}${tail}`);
    return 1;
  }

  const endpoint = endpointOptions(globals);
  if (endpoint.host && endpoint.context) {
    process.stderr.write('conflicting options: cannot specify both --host and --context\n');
    return 1;
  }
  const { Docker } = await import('../src/index.js');
  // Resolved on first use, as the docker CLI does: `context` commands work even when the current context is broken.
  let docker: InstanceType<typeof Docker> | undefined;
  const context: CliContext = {
    docker: () => (docker ??= connect(Docker, endpoint)),
    endpoint,
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: touching process.stdin opens a handle, which only cp and prune need.
    get stdin() { return process.stdin; },
    commandPath,
    env: process.env,
  };
  try {
    return await command.run(context, args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}${usageTail}`);
      return error.exitCode;
    }
    process.stderr.write(`${errorMessage(error)}\n`);
    return exitCodeFor(error);
  } finally {
    docker?.close();
  }
}

/** The global flags that say where the engine is, for the library's resolver (the docker CLI's order). */
function endpointOptions(globals: ParsedArgs): Omit<ResolveEndpointOptions, 'env'> {
  return {
    host: globals.string('host'),
    context: globals.string('context'),
    configDir: globals.string('config'),
    tls: globals.has('tls') ? globals.bool('tls') : undefined,
    tlsVerify: globals.has('tlsverify') ? globals.bool('tlsverify') : undefined,
    tlsCaCert: globals.string('tlscacert'),
    tlsCert: globals.string('tlscert'),
    tlsKey: globals.string('tlskey'),
  };
}

/** A client for the engine the flags and environment select; a failure to resolve it reads as docker's. */
function connect(DockerClass: typeof Docker, endpoint: Omit<ResolveEndpointOptions, 'env'>): Docker {
  try {
    return DockerClass.fromEnv(process.env, {}, endpoint);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'INVALID_ARGUMENT') throw error;
    const message = (error as Error).message.replace(/^unable to resolve docker endpoint: /, '');
    throw new CliError(`Failed to initialize: unable to resolve docker endpoint: ${message}`);
  }
}

function argumentCountError(commandPath: string, command: Command, count: number): string | undefined {
  const min = command.minArgs ?? 0;
  const max = command.maxArgs ?? Infinity;
  if (count >= min && count <= max) return undefined;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (max === 0) return `'${commandPath}' accepts no arguments`;
  if (min === max) return `'${commandPath}' requires ${plural(min)}`;
  if (max === Infinity) return `'${commandPath}' requires at least ${plural(min)}`;
  if (min === 0) return `'${commandPath}' requires at most ${plural(max)}`;
  return `'${commandPath}' requires at least ${min} and at most ${plural(max)}`;
}

function commandHelp(commandPath: string, command: Command): string {
  const flags = command.flags.filter((flag) => flag.name !== 'help');
  return `\nUsage:  ${commandPath} ${command.usage}\n\n${command.description}\n` +
    (flags.length ? `\nOptions:\n${formatFlagHelp(flags)}\n` : '');
}

function mainHelp(): string {
  const rows = commands.filter((entry) => !entry.names[0]!.includes(' ')).map((entry) => `  ${entry.names[0]!.padEnd(12)}${entry.summary}`);
  const groupRows = Object.entries(groups).map(([name, summary]) => `  ${name.padEnd(12)}${summary}`);
  return `\nUsage:  berth [OPTIONS] COMMAND\n\nA client for the Docker Engine API\n\nCommands:\n${rows.join('\n')}\n\n` +
    `Management Commands:\n${groupRows.join('\n')}\n\nGlobal Options:\n${formatFlagHelp(GLOBAL_FLAGS)}\n\n` +
    `Run 'berth COMMAND --help' for more information on a command.\n`;
}

function groupHelp(group: string): string {
  const rows = commands.flatMap((entry) => entry.names.filter((name) => name.startsWith(`${group} `)).slice(0, 1).map((name) => `  ${name.slice(group.length + 1).padEnd(12)}${entry.summary}`));
  return `\nUsage:  berth ${group} COMMAND\n\n${groups[group]}\n\nCommands:\n${rows.join('\n')}\n\nRun 'berth ${group} COMMAND --help' for more information on a command.\n`;
}

/** Exits once everything written has been handed to the OS (a bare `process.exit` can cut piped output). */
function flushAndExit(code: number): void {
  let pending = 2;
  const done = () => { pending -= 1; if (pending === 0) process.exit(code); };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A closed pipe (`berth ps | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') process.exit(0); });

main(process.argv.slice(2)).then(flushAndExit, (error: unknown) => {
  process.stderr.write(`${errorMessage(error)}\n`);
  flushAndExit(exitCodeFor(error));
});
