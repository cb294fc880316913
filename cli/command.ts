/**
 * What a command is: its usage line, its flags, how many arguments it takes, and the function that runs it.
 * Command modules export these; `commands/index.ts` names them and loads each module only when it runs.
 */
import type { Docker, ResolveEndpointOptions } from '../src/index.js';
import type { FlagSpec, ParsedArgs } from './args.js';

/** Where a command writes, and what it talks to. */
export interface CliContext {
  /** The client for the engine `-H`/`DOCKER_HOST` selected; created on first use. */
  docker(): Docker;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** The command as the user typed it, for messages: `berth run`, `berth container ls`. */
  commandPath: string;
  /** The process environment (for `-e NAME` without a value). */
  env: NodeJS.ProcessEnv;
  /** The global endpoint flags (`-H`, `--context`, `--config`, `--tls*`), for commands that resolve endpoints themselves. */
  endpoint?: Omit<ResolveEndpointOptions, 'env'>;
}

/** One command's definition. `run` resolves with the exit code. */
export interface Command {
  /** After the command path: `[OPTIONS] CONTAINER [CONTAINER...]`. */
  usage: string;
  /** One line for `--help`. */
  description: string;
  flags: FlagSpec[];
  /** False for commands that run a command inside the container: flags stop at the first positional. */
  interspersed?: boolean;
  /** Fewest positionals; with `maxArgs` gives the Docker CLI's "requires at least 1 argument" messages. */
  minArgs?: number;
  maxArgs?: number;
  run(context: CliContext, args: ParsedArgs): Promise<number>;
}

/** Writes `line` and a newline, waiting when the stream is full. */
export async function writeLine(stream: NodeJS.WritableStream, line: string): Promise<void> {
  await write(stream, line + '\n');
}

/** Writes and waits for the stream to take more, so large outputs keep memory flat. */
export async function write(stream: NodeJS.WritableStream, data: string | Uint8Array): Promise<void> {
  if (!stream.write(data)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => { stream.off('error', onError); resolve(); };
      const onError = (error: Error) => { stream.off('drain', onDrain); reject(error); };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  }
}
