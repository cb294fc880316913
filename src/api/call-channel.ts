import { channel } from 'node:diagnostics_channel';
import type { OperationId } from '../generated/operations.js';

/**
 * The name of the `node:diagnostics_channel` channel on which Berth reports every Engine API call when it ends:
 * subscribe to it to count, time or log calls (an APM tool, a test recorder) without wrapping the client.
 * Nothing is published, and nothing is built for it, while the channel has no subscriber.
 *
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { CALL_CHANNEL, type CallEvent } from 'berth';
 * subscribe(CALL_CHANNEL, (message) => {
 *   const { operation, ok } = message as CallEvent;
 *   console.log(operation, ok ? 'ok' : 'failed');
 * });
 * ```
 *
 * It works the same in the bundled `berth` command, which carries its own copy of the library: a subscriber
 * preloaded with `node --import` sees the command's calls too.
 */
export const CALL_CHANNEL = 'berth:call';

/** What is published on {@link CALL_CHANNEL} when a call ends. */
export interface CallEvent {
  /** The operation's ID in the Engine API spec (`ContainerList`, `SystemPing`, …). */
  operation: OperationId | 'SystemPing';
  /** True when the call was answered as it should be (a 2xx or an expected status such as 304). */
  ok: boolean;
  /** The error the call rejected with (already a typed Berth error, with secrets redacted). */
  error?: unknown;
}

const callChannel = channel(CALL_CHANNEL);

/**
 * A call's promise, reporting its end on {@link CALL_CHANNEL} when someone listens. Without a subscriber it is
 * the same promise, untouched: no extra promise, no event object (this runs on every request).
 */
export function reported<T>(operation: CallEvent['operation'], pending: Promise<T>): Promise<T> {
  if (!callChannel.hasSubscribers) return pending;
  return pending.then(
    (result) => {
      callChannel.publish({ operation, ok: true } satisfies CallEvent);
      return result;
    },
    (error: unknown) => {
      callChannel.publish({ operation, ok: false, error } satisfies CallEvent);
      throw error;
    },
  );
}
