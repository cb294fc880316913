/**
 * Writes container output frames to our stdout and stderr. Consecutive frames of the same stream are joined
 * into one write until the end of the current turn of the event loop (or 64 KiB), so that a container printing
 * many short lines costs a few writes instead of one system call per line, while a lone line still appears at
 * once. Order between the two streams is kept: a change of stream writes out what came before.
 */
import { write } from './command.js';

const MAX_BATCH = 64 * 1024;

/** Where frames go, by stream name. */
export interface FrameTargets {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Batches frames per stream; call {@link FrameWriter.end} after the last one. */
export class FrameWriter {
  readonly #targets: FrameTargets;
  #stream: 'stdout' | 'stderr' = 'stdout';
  #chunks: Uint8Array[] = [];
  #size = 0;
  #scheduled: Promise<void> | undefined;
  /** The latest write handed to a stream, so that {@link end} can wait for it and surface its error. */
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(targets: FrameTargets) {
    this.#targets = targets;
  }

  /** Queues one frame; resolves when the caller may send the next (back-pressure is kept). */
  async write(frame: { stream: string; data: Uint8Array }): Promise<void> {
    const stream = frame.stream === 'stderr' ? 'stderr' : 'stdout';
    if (stream !== this.#stream) {
      await this.flush();
      this.#stream = stream;
    }
    this.#chunks.push(frame.data);
    this.#size += frame.data.length;
    if (this.#size >= MAX_BATCH) {
      await this.flush();
    } else {
      if (!this.#scheduled) {
        this.#scheduled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
        // Its failure is reported by end() (through #lastWrite), not as an unhandled rejection.
        this.#scheduled.catch(() => undefined);
      }
    }
  }

  /** Writes out whatever is queued. */
  async flush(): Promise<void> {
    this.#scheduled = undefined;
    if (this.#chunks.length === 0) return;
    const data = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [];
    this.#size = 0;
    this.#lastWrite = write(this.#targets[this.#stream], data);
    await this.#lastWrite;
  }

  /** Writes out the rest; call once the frames have ended. */
  async end(): Promise<void> {
    await this.#scheduled;
    await this.flush();
    await this.#lastWrite;
  }
}
