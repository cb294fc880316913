/** What every contender does, each the way its own users would write it. */

/**
 * The three contenders of the suite: Berth, dockerode, and the raw-socket limit; and `raw-frames`, the limit of
 * the frame API on the logs scenarios, which only bench/probes/frame-limit.ts runs.
 */
export type ContenderName = 'raw' | 'berth' | 'dockerode' | 'raw-frames';

/** Bytes per stream after demultiplexing container output. */
export interface StreamCounts {
  stdout: number;
  stderr: number;
}

/** One client under test, connected to one engine. */
export interface Contender {
  readonly name: ContenderName;
  /** `/_ping`. */
  ping(): Promise<void>;
  /** Lists containers (all of them, at most `limit`); resolves with the number of entries parsed. */
  list(limit?: number): Promise<number>;
  /** Inspects a container; resolves with its ID as parsed. */
  inspect(id: string): Promise<string>;
  /** Reads a container's whole (non-following) logs, demultiplexed, counting the bytes of each stream. */
  logs(id: string): Promise<StreamCounts>;
  /** Reads an event stream to its end (`until`), parsing each event; resolves with the count. */
  events(until: number): Promise<number>;
  /** Creates, starts, waits for and removes a container running `true`. */
  lifecycle(image: string, name: string, labels: Record<string, string>): Promise<void>;
  /** Runs `true` in a running container (create, start attached, read to the end, exit code). Undefined when the client cannot. */
  exec?: ((containerId: string) => Promise<number>) | undefined;
  close(): void;
}

/** Loads one contender for an engine socket path. Each contender is loaded alone, in its own process. */
export async function loadContender(name: ContenderName, socketPath: string): Promise<Contender> {
  switch (name) {
    case 'raw': return (await import('./raw.js')).rawContender(socketPath);
    case 'berth': return (await import('./berth.js')).berthContender(socketPath);
    case 'dockerode': return (await import('./dockerode.js')).dockerodeContender(socketPath);
    case 'raw-frames': return (await import('./raw-frames.js')).rawFramesContender(socketPath);
  }
}
