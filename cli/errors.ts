/**
 * How the CLI reports failures, in the Docker CLI's words: engine errors as
 * `Error response from daemon: <message>`, connection errors with their hint, and everything else as
 * `Error: <message>`; and which exit code each gets.
 */
import { UsageError } from './args.js';

/** A failure the command has already put into words; `exitCode` is what the process exits with. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The engine's answer that the error carries, if it is an engine error (duck-typed: no library import needed). */
function isEngineError(error: unknown): error is Error & { status: number } {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && (error as { code?: unknown }).code !== undefined;
}

/** The line the Docker CLI would print for `error` (without the trailing newline). */
export function errorMessage(error: unknown): string {
  if (error instanceof CliError || error instanceof UsageError) return error.message;
  if (isEngineError(error)) return `Error response from daemon: ${error.message}`;
  if (error instanceof Error) {
    // Berth's own errors (a ConnectionError with its hint, an InvalidArgumentError …) and system errors
    // (ENOENT …) carry a code and a message meant for the user: printed as they are, as the docker CLI
    // prints its errors. Anything else is unexpected and says so.
    if (typeof (error as { code?: unknown }).code === 'string') return error.message;
    return `Error: ${error.message}`;
  }
  return `Error: ${String(error)}`;
}

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError || error instanceof UsageError) return error.exitCode;
  return 1;
}

/** Whether `error` is the engine's 404. */
export function isNotFoundError(error: unknown): boolean {
  return isEngineError(error) && error.status === 404;
}
