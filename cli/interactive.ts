/**
 * Connects a hijacked session (attach, exec) to our terminal: output to stdout/stderr, our stdin to the
 * process (end of our input half-closes its stdin), and with a TTY: raw mode, the terminal size sent at
 * the start and on every SIGWINCH, and the terminal restored however the session ends. The detach keys
 * (ctrl-p ctrl-q by default) are passed through as they are: the engine recognises them and ends the
 * session, which the caller tells apart from an exit by asking whether the container still runs.
 */
import type { HijackedSession } from '../src/index.js';
import { write, type CliContext } from './command.js';
import { FrameWriter } from './frame-writer.js';

/** How to connect a session. */
export interface PumpOptions {
  /** Forward our stdin to the process. */
  stdin: boolean;
  /** The process has a TTY: put our terminal in raw mode and keep the sizes in step. */
  tty: boolean;
}

/** How a session ended. */
export interface PumpResult {
  /** The user typed the detach keys (ctrl-p ctrl-q): the process runs on. */
  detached: boolean;
}

/** Runs the session until its output ends. */
export async function pumpSession(context: CliContext, session: HijackedSession, options: PumpOptions): Promise<PumpResult> {
  const input = options.stdin ? context.stdin : undefined;
  const restoreTerminal = options.tty && input?.isTTY ? rawMode(input) : () => undefined;
  const stopResizing = options.tty ? followTerminalSize(context, session) : () => undefined;
  const detach = new DetachWatcher();
  const stopForwarding = input ? forwardInput(input, session, detach) : () => undefined;
  // Small frames are joined into fewer writes (a chatty container costs half the system time that way).
  const output = new FrameWriter(context);
  try {
    for await (const frame of session) await output.write(frame);
    await output.end();
  } finally {
    stopForwarding();
    stopResizing();
    restoreTerminal();
  }
  return { detached: detach.seen };
}

/**
 * Watches our input for the default detach keys, ctrl-p ctrl-q (bytes 0x10 0x11), even across chunks. The
 * engine acts on them; this only lets the caller know that the end of the output was a detach, not an exit.
 */
class DetachWatcher {
  seen = false;
  #afterCtrlP = false;

  scan(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.#afterCtrlP && byte === 0x11) this.seen = true;
      this.#afterCtrlP = byte === 0x10;
    }
  }
}

function rawMode(input: NodeJS.ReadStream): () => void {
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  const restore = () => { if (input.isTTY) input.setRawMode(wasRaw); };
  // Restored even when the process is ended by a signal or an uncaught error.
  process.once('exit', restore);
  return () => {
    process.off('exit', restore);
    restore();
  };
}

/** Sends the terminal size now and after every change; returns the function that stops it. */
function followTerminalSize(context: CliContext, session: HijackedSession): () => void {
  const output = context.stdout;
  if (!output.isTTY) return () => undefined;
  const send = () => {
    const [w, h] = output.getWindowSize();
    if (w > 0 && h > 0) session.resize({ h, w }).catch(() => undefined);
  };
  send();
  process.on('SIGWINCH', send);
  return () => { process.off('SIGWINCH', send); };
}

/** Copies our stdin to the session with back-pressure; its end half-closes the process's stdin. */
function forwardInput(input: NodeJS.ReadStream, session: HijackedSession, detach: DetachWatcher): () => void {
  const onData = (chunk: Buffer) => {
    detach.scan(chunk);
    input.pause();
    session.stdin.write(chunk).then(() => input.resume(), () => undefined);
  };
  const onEnd = () => { void session.stdin.end(); };
  input.on('data', onData);
  input.once('end', onEnd);
  input.resume();
  return () => {
    input.off('data', onData);
    input.off('end', onEnd);
    input.pause();
  };
}
