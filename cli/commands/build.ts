/**
 * `berth build`: the classic builder, with the context streamed from a directory (honouring .dockerignore),
 * from stdin (`-`), or fetched by the engine (a URL).
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { writeLine, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { ProgressPrinter } from '../progress.js';

/** `--build-arg NAME=value` or `--build-arg NAME` (the value from the environment, as the Docker CLI does). */
export function buildArgs(specs: readonly string[], env: NodeJS.ProcessEnv): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    if (equals >= 0) out[spec.slice(0, equals)] = spec.slice(equals + 1);
    else out[spec] = env[spec] ?? null;
  }
  return out;
}

/** `--label k=v` (or `k`, an empty value). */
function labels(specs: readonly string[]): Record<string, string> {
  return Object.fromEntries(specs.map((spec) => {
    const equals = spec.indexOf('=');
    return equals >= 0 ? [spec.slice(0, equals), spec.slice(equals + 1)] : [spec, ''];
  }));
}

/** `berth build [OPTIONS] PATH | URL | -` */
export const build: Command = {
  usage: '[OPTIONS] PATH | URL | -',
  description: 'Build an image from a Dockerfile',
  flags: [
    { name: 'build-arg', type: 'list', valueName: 'list', description: 'Set build-time variables' },
    { name: 'file', short: 'f', type: 'string', description: 'Name of the Dockerfile (Default is \'PATH/Dockerfile\')' },
    { name: 'force-rm', type: 'boolean', description: 'Always remove intermediate containers' },
    { name: 'iidfile', type: 'string', description: 'Write the image ID to the file' },
    { name: 'label', type: 'list', valueName: 'list', description: 'Set metadata for an image' },
    { name: 'network', type: 'string', description: 'Set the networking mode for the RUN instructions during build', defaultText: '"default"' },
    { name: 'no-cache', type: 'boolean', description: 'Do not use cache when building the image' },
    { name: 'platform', type: 'string', description: 'Set platform if server is multi-platform capable' },
    { name: 'progress', type: 'string', description: 'Set type of progress output (auto, plain, tty, quiet); the classic builder prints plain output', defaultText: '"auto"' },
    { name: 'pull', type: 'boolean', description: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Suppress the build output and print image ID on success' },
    { name: 'rm', type: 'boolean', description: 'Remove intermediate containers after a successful build', defaultText: 'true' },
    { name: 'tag', short: 't', type: 'list', valueName: 'list', description: 'Name and optionally a tag in the "name:tag" format' },
    { name: 'target', type: 'string', description: 'Set the target build stage to build.' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const source = args.positionals[0]!;
    const progress = args.string('progress');
    if (progress !== undefined && !['auto', 'plain', 'tty', 'quiet'].includes(progress)) throw new CliError(`invalid argument "${progress}" for "--progress" flag`, 125);
    const quiet = args.bool('quiet') || progress === 'quiet';
    const file = args.string('file');
    let contextSource: string | AsyncIterable<Uint8Array> | undefined;
    let remote: string | undefined;
    let dockerfile: string | undefined;
    if (source === '-') {
      contextSource = context.stdin as AsyncIterable<Uint8Array>;
      dockerfile = file;
    } else if (/^(https?:\/\/|git@|git:\/\/|github\.com\/)/.test(source)) {
      remote = source;
      dockerfile = file;
    } else {
      const directory = resolve(source);
      contextSource = directory;
      if (file !== undefined) {
        // As the Docker CLI: -f is a path from the current directory; it must be inside the context.
        const inside = relative(directory, isAbsolute(file) ? file : resolve(file));
        if (inside === '' || inside.startsWith('..' + sep) || inside === '..' || isAbsolute(inside)) {
          throw new CliError(`unable to prepare context: the Dockerfile (${file}) must be within the build context`, 1);
        }
        dockerfile = inside.split(sep).join('/');
      }
    }
    const operation = context.docker().images.build(contextSource, {
      t: args.list('tag'),
      dockerfile,
      remote,
      buildargs: buildArgs(args.list('build-arg'), context.env),
      labels: labels(args.list('label')),
      target: args.string('target'),
      nocache: args.bool('no-cache') || undefined,
      pull: args.bool('pull') || undefined,
      platform: args.string('platform'),
      networkmode: args.string('network'),
      forcerm: args.bool('force-rm') || undefined,
      rm: args.has('rm') ? args.bool('rm') : undefined,
      q: quiet || undefined,
    });
    if (!quiet) {
      const printer = new ProgressPrinter(context.stdout);
      for await (const message of operation) await printer.show(message);
    }
    const { id } = await operation;
    if (quiet && id) await writeLine(context.stdout, id);
    const iidfile = args.string('iidfile');
    if (iidfile && id) writeFileSync(iidfile, id);
    return 0;
  },
};
