/**
 * `berth context …`: list, inspect, use, create, remove and show contexts, in the docker CLI's own store
 * (`$DOCKER_CONFIG/contexts`), so `docker` and `berth` share them. Output, messages and exit codes are docker's.
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_CONTEXT_NAME, createContext, defaultContext, defaultHost, dockerConfigDir, dockerHostOverrideWarning, inspectContext, listContexts, readContext,
  readDockerConfig, removeContext, writeCurrentContext, type DockerContext, type ResolveEndpointOptions,
} from '../../src/index.js';
import { UsageError } from '../args.js';
import { writeLine, type CliContext, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { goJson } from '../format.js';
import { ellipsis, formatTable } from '../table.js';
import { compileTemplate } from '../template.js';

/** The docker CLI cuts a context's error to this many characters in `context ls`. */
const MAX_ERROR_LENGTH = 45;

function endpointOptions(context: CliContext): ResolveEndpointOptions {
  return { env: context.env, ...context.endpoint };
}

/** The context the global flags and environment select, by name, without failing when it does not exist. */
function currentContextName(context: CliContext): string {
  const options = endpointOptions(context);
  if (options.context) return options.context;
  if (options.host || options.env?.DOCKER_HOST) return DEFAULT_CONTEXT_NAME;
  if (options.env?.DOCKER_CONTEXT) return options.env.DOCKER_CONTEXT;
  return readDockerConfig(configDir(context)).currentContext || DEFAULT_CONTEXT_NAME;
}

function configDir(context: CliContext): string {
  return dockerConfigDir(context.env, context.endpoint?.configDir);
}

/** The built-in `default` context: what `-H`, `DOCKER_HOST` or the default socket give. */
function builtInDefault(context: CliContext): DockerContext {
  return defaultContext(context.endpoint?.host || context.env.DOCKER_HOST || defaultHost(context.env));
}

function lookup(context: CliContext, name: string): DockerContext {
  if (name === DEFAULT_CONTEXT_NAME) return builtInDefault(context);
  try {
    return readContext(configDir(context), name);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

const formatFlag = (text: string) => ({ name: 'format', short: 'f', type: 'string' as const, description: text });

/** `berth context ls`. */
export const ls: Command = {
  usage: '[OPTIONS]',
  description: 'List contexts',
  flags: [formatFlag("Format output using a custom template: 'table', 'table TEMPLATE', 'json' or a Go template"),
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only show context names' }],
  maxArgs: 0,
  async run(context, args) {
    const dir = configDir(context);
    const current = currentContextName(context);
    const rows = [builtInDefault(context), ...listContexts(dir)].map((item) => ({
      Name: item.name, Description: item.description, DockerEndpoint: item.host ?? '', Current: item.name === current, Error: '',
    }));
    if (!rows.some((row) => row.Name === current)) {
      let message = '';
      try {
        readContext(dir, current);
      } catch (error) {
        message = (error as Error).message;
      }
      rows.push({ Name: current, Description: '', DockerEndpoint: '', Current: true, Error: message });
    }
    rows.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    const format = args.string('format');
    if (args.bool('quiet')) {
      for (const row of rows) await writeLine(context.stdout, row.Name);
    } else if (format === 'json') {
      for (const row of rows) {
        const { Current, Description, DockerEndpoint, Error, Name } = row;
        await writeLine(context.stdout, goJson({ Current, Description, DockerEndpoint, Error, Name }));
      }
    } else if (format && format !== 'table' && !format.startsWith('table ')) {
      const template = compileTemplate(format);
      for (const row of rows) await writeLine(context.stdout, template(row));
    } else {
      const header = { Name: 'NAME', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Current: 'CURRENT', Error: 'ERROR' };
      if (format?.startsWith('table ')) {
        const template = compileTemplate(format.slice('table '.length).replace(/\\t/g, '\t'));
        const cells = (row: unknown) => template(row).split('\t');
        await context.stdout.write(formatTable([cells(header), ...rows.map(cells)]));
      } else {
        const table = [['NAME', 'DESCRIPTION', 'DOCKER ENDPOINT', 'ERROR'],
          ...rows.map((row) => [row.Current ? `${row.Name} *` : row.Name, row.Description, row.DockerEndpoint, ellipsis(row.Error, MAX_ERROR_LENGTH)])];
        await context.stdout.write(formatTable(table));
      }
    }
    if (context.env.DOCKER_HOST) context.stderr.write(`Warning: ${dockerHostOverrideWarning()}\n`);
    return 0;
  },
};

/** `berth context inspect`. */
export const inspect: Command = {
  usage: '[OPTIONS] [CONTEXT] [CONTEXT...]',
  description: 'Display detailed information on one or more contexts',
  flags: [formatFlag("Format output using a custom template: 'json' or a Go template")],
  async run(context, args) {
    const names = args.positionals.length > 0 ? args.positionals : [currentContextName(context)];
    const inspected = names.map((name) => inspectContext(lookup(context, name)));
    const format = args.string('format');
    if (format && format !== 'json') {
      const template = compileTemplate(format);
      for (const item of inspected) await writeLine(context.stdout, template(item));
    } else {
      await writeLine(context.stdout, goJson(inspected, 4));
    }
    return 0;
  },
};

/** `berth context use`. */
export const use: Command = {
  usage: 'CONTEXT',
  description: 'Set the current docker context',
  flags: [],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const name = args.positionals[0]!;
    if (name !== DEFAULT_CONTEXT_NAME) lookup(context, name);
    writeCurrentContext(configDir(context), name);
    await writeLine(context.stdout, name);
    context.stderr.write(`Current context is now "${name}"\n`);
    if (name !== DEFAULT_CONTEXT_NAME && context.env.DOCKER_HOST) context.stderr.write(`Warning: ${dockerHostOverrideWarning(name)}\n`);
    return 0;
  },
};

/** `berth context show`. */
export const show: Command = {
  usage: '',
  description: 'Print the name of the current context',
  flags: [],
  maxArgs: 0,
  async run(context) {
    await writeLine(context.stdout, currentContextName(context));
    return 0;
  },
};

const DOCKER_KEYS = new Set(['from', 'host', 'ca', 'cert', 'key', 'skip-tls-verify']);

/** Parses `--docker host=…,ca=…` the way the docker CLI's string-to-string flag does (later keys win). */
function parseDockerFlag(values: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const value of values) {
    for (const pair of value.split(',')) {
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      if (equals < 0) throw new UsageError(`invalid argument "${value}" for "--docker" flag: ${pair} must be formatted as key=value`);
      result.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }
  return result;
}

function parseGoBoolean(text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new CliError(`unable to create docker endpoint config: skip-tls-verify: parsing "${text}": invalid syntax`);
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`unable to create docker endpoint config: open ${path}: ${code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`);
  }
}

/** `berth context create`. */
export const create: Command = {
  usage: '[OPTIONS] CONTEXT',
  description: 'Create a context',
  flags: [
    { name: 'description', type: 'string', description: 'Description of the context' },
    { name: 'docker', type: 'list', valueName: 'stringToString', description: 'set the docker endpoint (host, ca, cert, key, skip-tls-verify, from)' },
    { name: 'from', type: 'string', description: 'create context from a named context' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const name = args.positionals[0]!;
    const dir = configDir(context);
    const docker = parseDockerFlag(args.list('docker'));
    for (const key of docker.keys()) {
      if (!DOCKER_KEYS.has(key)) throw new CliError(`unable to create docker endpoint config: unrecognized config key: ${key}`);
    }
    let source: DockerContext | undefined;
    const from = args.string('from') ?? docker.get('from');
    if (from !== undefined) source = lookup(context, from);
    else if (args.list('docker').length === 0) source = lookup(context, currentContextName(context));
    const description = args.string('description') ?? (args.string('from') !== undefined || args.list('docker').length === 0 ? source?.description : undefined);
    const tls = source ? { ...source.tls } : {};
    for (const file of ['ca', 'cert', 'key'] as const) {
      const path = docker.get(file);
      if (path) tls[file] = readPem(path);
    }
    const skip = docker.get('skip-tls-verify');
    try {
      createContext(dir, {
        name,
        description,
        host: docker.has('host') ? docker.get('host') : source?.host,
        skipTLSVerify: skip !== undefined && skip !== '' ? parseGoBoolean(skip) : source?.skipTLSVerify ?? false,
        tls,
      });
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    await writeLine(context.stdout, name);
    context.stderr.write(`Successfully created context "${name}"\n`);
    return 0;
  },
};

/** `berth context rm`. */
export const rm: Command = {
  usage: 'CONTEXT [CONTEXT...]',
  description: 'Remove one or more contexts',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force the removal of a context in use' }],
  minArgs: 1,
  async run(context, args) {
    const dir = configDir(context);
    const errors: string[] = [];
    for (const name of args.positionals) {
      try {
        if (name !== DEFAULT_CONTEXT_NAME && readDockerConfig(dir).currentContext === name) {
          if (!args.bool('force')) throw new Error(`context "${name}" is in use, set -f flag to force remove`);
          writeCurrentContext(dir, undefined);
        }
        try {
          removeContext(dir, name);
        } catch (error) {
          // With -f, a context that is not there is no error (the docker CLI still names it).
          if (!args.bool('force') || name === DEFAULT_CONTEXT_NAME) throw error;
        }
        await writeLine(context.stdout, name);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    if (errors.length > 0) throw new CliError(errors.join('\n'));
    return 0;
  },
};
