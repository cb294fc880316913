/**
 * Progress output of pull, push, load, import and build, as the Docker CLI shows it: on a terminal one line
 * per layer, redrawn in place with its progress bar; otherwise one plain line per event, without the
 * byte-count updates (a log file gets "Pull complete", not a thousand "Downloading" lines).
 */
import type { ProgressMessage } from '../src/index.js';
import { write } from './command.js';

/** Writes progress messages to a stream, redrawing per-layer lines when it is a terminal. */
export class ProgressPrinter {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  /** Line index of each layer ID in the current block of layer lines (terminal only). */
  #lines = new Map<string, number>();

  constructor(out: NodeJS.WriteStream, tty = out.isTTY === true) {
    this.#out = out;
    this.#tty = tty;
  }

  /** Shows one message. Build output (`stream`) is written as it is. */
  async show(message: ProgressMessage<unknown>): Promise<void> {
    if (message.stream !== undefined) {
      await write(this.#out, message.stream);
      return;
    }
    if (message.status === undefined && message.progress === undefined) return;
    const isProgress = message.progressDetail?.current !== undefined || (message.progress ?? '') !== '';
    const text = lineText(message, this.#tty);
    if (!this.#tty) {
      if (!isProgress) await write(this.#out, text + '\n');
      return;
    }
    if (message.id === undefined) {
      // Something that is not about a layer ends the block: later layer lines start a new one.
      this.#lines.clear();
      await write(this.#out, `\x1b[2K\r${text}\n`);
      return;
    }
    const index = this.#lines.get(message.id);
    if (index === undefined) {
      this.#lines.set(message.id, this.#lines.size);
      await write(this.#out, `\x1b[2K\r${text}\n`);
      return;
    }
    const up = this.#lines.size - index;
    await write(this.#out, `\x1b[${up}A\x1b[2K\r${text}\x1b[${up}B\r`);
  }
}

/** `id: status progress`, as the Docker CLI prints a message. */
export function lineText(message: ProgressMessage<unknown>, withBar: boolean): string {
  let text = message.id ? `${message.id}: ` : '';
  text += message.status ?? '';
  if (withBar) {
    const bar = message.progress || progressBar(message.progressDetail);
    if (bar) text += ` ${bar}`;
  }
  return text;
}

/** A bar like the engine's own (`[=====>      ]  1.2MB/3.4MB`) when it sent only the counts. */
export function progressBar(detail: ProgressMessage['progressDetail']): string {
  if (!detail || detail.current === undefined || !detail.total || detail.total <= 0) return '';
  const width = 50;
  const filled = Math.min(width, Math.floor((detail.current / detail.total) * width));
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (filled === width ? '=' : '>') : '') + ' '.repeat(width - filled);
  return `[${bar}] ${size(detail.current)}/${size(detail.total)}`;
}

function size(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(4))}${units[unit]}`;
}
