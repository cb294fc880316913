/**
 * `berth logs`: a container's output, stdout to our stdout and stderr to our stderr (a TTY container's
 * output is all stdout), following with `-f` until the container stops.
 */
import { UsageError } from '../args.js';
import type { Command } from '../command.js';
import { FrameWriter } from '../frame-writer.js';
import { parseTimestamp } from '../format.js';

function timestampFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseTimestamp(text);
  if (seconds === undefined) {
    throw new UsageError(`invalid value for "${flag}": "${text}" is not an RFC 3339 time, Unix timestamp or duration (e.g. 10m)`, 1);
  }
  // The query takes whole seconds; round down so that the line written at that second is included.
  return Math.max(0, Math.floor(seconds));
}

/** `berth logs [-f] [--tail N] [-t] [--since T] [--until T] CONTAINER` */
export const logs: Command = {
  usage: '[OPTIONS] CONTAINER',
  description: 'Fetch the logs of a container',
  flags: [
    { name: 'follow', short: 'f', type: 'boolean', description: 'Follow log output' },
    { name: 'tail', short: 'n', type: 'string', description: 'Number of lines to show from the end of the logs', defaultText: '"all"' },
    { name: 'timestamps', short: 't', type: 'boolean', description: 'Show timestamps' },
    { name: 'since', type: 'string', description: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'until', type: 'string', description: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const tail = args.string('tail');
    if (tail !== undefined && tail !== 'all' && !/^-?\d+$/.test(tail)) {
      throw new UsageError(`invalid value for "--tail": "${tail}" is not a number or "all"`, 1);
    }
    const frames = context.docker().containers.logs(args.positionals[0]!, {
      stdout: true,
      stderr: true,
      follow: args.bool('follow'),
      timestamps: args.bool('timestamps'),
      // A negative tail means all lines, as in the Docker CLI.
      tail: tail === undefined || tail.startsWith('-') ? undefined : tail,
      since: timestampFlag(args.string('since'), '--since'),
      until: timestampFlag(args.string('until'), '--until'),
    });
    const output = new FrameWriter(context);
    for await (const frame of frames) await output.write(frame);
    await output.end();
    return 0;
  },
};
