/**
 * Commands that move images: pull, push (with progress), save, load, import, commit.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseImageReference, type ProgressMessage, type ProgressOperation } from '../../src/index.js';
import { write, writeLine, type CliContext, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { ProgressPrinter } from '../progress.js';

/** Shows an operation's progress (unless quiet) and resolves with its result. */
export async function follow<M extends ProgressMessage<unknown>, R>(context: CliContext, operation: ProgressOperation<M, R>, quiet: boolean, out = context.stdout): Promise<R> {
  if (quiet) return operation;
  const printer = new ProgressPrinter(out);
  for await (const message of operation) await printer.show(message);
  return operation;
}

/** `berth pull [-a] [-q] [--platform P] NAME[:TAG|@DIGEST]` */
export const pull: Command = {
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  description: 'Download an image from a registry',
  flags: [
    { name: 'all-tags', short: 'a', type: 'boolean', description: 'Download all tagged images in the repository' },
    { name: 'platform', type: 'string', description: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Suppress verbose output' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const name = args.positionals[0]!;
    const allTags = args.bool('all-tags');
    const reference = parseImageReference(name);
    if (allTags && (reference.tag || reference.digest)) throw new CliError('tag can\'t be used with --all-tags/-a', 1);
    if (!allTags && !reference.tag && !reference.digest) await writeLine(context.stdout, 'Using default tag: latest');
    const result = await follow(context, context.docker().images.pull(name, { allTags, platform: args.string('platform') }), args.bool('quiet'));
    // As the Docker CLI: the reference pulled, last (the whole repository with -a).
    await writeLine(context.stdout, allTags ? reference.repository : result.reference);
    return 0;
  },
};

/** `berth push [-a] [-q] NAME[:TAG]` */
export const push: Command = {
  usage: '[OPTIONS] NAME[:TAG]',
  description: 'Upload an image to a registry',
  flags: [
    { name: 'all-tags', short: 'a', type: 'boolean', description: 'Push all tags of an image to the repository' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Suppress verbose output' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const name = args.positionals[0]!;
    const reference = parseImageReference(name);
    let target = name;
    if (!reference.tag && !args.bool('all-tags')) {
      await writeLine(context.stdout, 'Using default tag: latest');
      target = `${reference.repository}:latest`;
    }
    await follow(context, context.docker().images.push(target), args.bool('quiet'));
    if (args.bool('quiet')) await writeLine(context.stdout, target);
    return 0;
  },
};

/** `berth save [-o FILE] IMAGE...`: a tar of the images, to a file or to stdout when it is not a terminal. */
export const save: Command = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: [{ name: 'output', short: 'o', type: 'string', description: 'Write to a file, instead of STDOUT' }],
  minArgs: 1,
  async run(context, args) {
    const output = args.string('output');
    if (!output && context.stdout.isTTY) throw new CliError('Cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
    const tar = context.docker().images.save(args.positionals);
    if (!output) {
      for await (const chunk of tar) await write(context.stdout, chunk);
      return 0;
    }
    const file = createWriteStream(output, { mode: 0o644 });
    try {
      for await (const chunk of tar) if (!file.write(chunk)) await once(file, 'drain');
    } finally {
      file.end();
      await once(file, 'close');
    }
    return 0;
  },
};

/** `berth load [-i FILE] [-q]`: images from a tar (a file, or stdin). */
export const load: Command = {
  usage: '[OPTIONS]',
  description: 'Load an image from a tar archive or STDIN',
  flags: [
    { name: 'input', short: 'i', type: 'string', description: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Suppress the load output' },
  ],
  maxArgs: 0,
  async run(context, args) {
    const input = args.string('input');
    if (!input && context.stdin.isTTY) throw new CliError('requested load from stdin, but stdin is empty', 1);
    const tar = input ? createReadStream(input) : context.stdin;
    const quiet = args.bool('quiet');
    const operation = context.docker().images.load(tar as AsyncIterable<Uint8Array>, { quiet });
    const printer = new ProgressPrinter(context.stdout);
    // "Loaded image: …" comes as build-style `stream` text; show it even when quiet (the CLI does).
    for await (const message of operation) if (!quiet || message.stream) await printer.show(message);
    await operation;
    return 0;
  },
};

/** `berth import [-c CHANGE] [-m MESSAGE] [--platform P] file|URL|- [REPOSITORY[:TAG]]` */
export const importCommand: Command = {
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  description: 'Import the contents from a tarball to create a filesystem image',
  flags: [
    { name: 'change', short: 'c', type: 'list', valueName: 'list', description: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', description: 'Set commit message for imported image' },
    { name: 'platform', type: 'string', description: 'Set platform if server is multi-platform capable' },
  ],
  minArgs: 1,
  maxArgs: 2,
  async run(context, args) {
    const [source, target] = args.positionals as [string, string | undefined];
    let repo: string | undefined;
    let tag: string | undefined;
    if (target) {
      const reference = parseImageReference(target);
      repo = reference.repository;
      tag = reference.tag;
    }
    const options = { repo, tag, message: args.string('message'), changes: args.list('change'), platform: args.string('platform') };
    const from = /^https?:\/\//.test(source) ? source : source === '-' ? context.stdin as AsyncIterable<Uint8Array> : createReadStream(source);
    const { id } = await context.docker().images.import(from, options);
    await writeLine(context.stdout, id ?? '');
    return 0;
  },
};

/** `berth commit [-a AUTHOR] [-c CHANGE] [-m MESSAGE] [-p] CONTAINER [REPOSITORY[:TAG]]` */
export const commit: Command = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  description: 'Create a new image from a container\'s changes',
  flags: [
    { name: 'author', short: 'a', type: 'string', description: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', type: 'list', valueName: 'list', description: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', description: 'Commit message' },
    { name: 'pause', short: 'p', type: 'boolean', description: 'Pause container during commit', defaultText: 'true' },
  ],
  minArgs: 1,
  maxArgs: 2,
  async run(context, args) {
    const [container, target] = args.positionals as [string, string | undefined];
    let repo: string | undefined;
    let tag: string | undefined;
    if (target) {
      const reference = parseImageReference(target);
      repo = reference.repository;
      tag = reference.tag;
    }
    const { Id } = await context.docker().images.commit(container, {
      repo, tag, author: args.string('author'), comment: args.string('message'), changes: args.list('change'),
      pause: args.has('pause') ? args.bool('pause') : true,
    });
    await writeLine(context.stdout, Id);
    return 0;
  },
};
