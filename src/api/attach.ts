import { InvalidArgumentError, ProtocolError } from '../errors.js';
import type { ContainerAttachQuery, ContainerAttachWebsocketQuery } from '../generated/operations.js';
import type { HijackedSession, TerminalSize } from '../stream/hijacked-session.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { openHijackedSession } from './hijack.js';
import { route } from './route.js';

/** What attaching needs from the container operations. */
export interface AttachContext {
  hasTty: () => Promise<boolean>;
  resize: (size: TerminalSize) => Promise<void>;
}

/** The attach query used when none is given: follow stdout and stderr from now on. */
const DEFAULT_ATTACH: ContainerAttachQuery = { stream: true, stdout: true, stderr: true };

/** `a`, `ctrl-p`, `ctrl-p,ctrl-q` …: the engine's detach-key format. */
const DETACH_KEYS = /^(?:[a-zA-Z]|ctrl-[a-z@^[\\\],_])(?:,(?:[a-zA-Z]|ctrl-[a-z@^[\\\],_]))*$/;

function validateDetachKeys(keys: string | undefined): void {
  if (keys !== undefined && keys !== '' && !DETACH_KEYS.test(keys)) {
    throw new InvalidArgumentError(`Invalid detachKeys "${keys}": a comma-separated list of a letter or ctrl-<key>`);
  }
}

/** `POST /containers/{id}/attach` with the upgrade: a {@link HijackedSession}. */
export function attachContainer(api: ApiClient, id: string, query: ContainerAttachQuery | undefined, context: AttachContext, options?: CallOptions): Promise<HijackedSession> {
  const path = route`/containers/${id}/attach`;
  const effective = query ?? DEFAULT_ATTACH;
  validateDetachKeys(effective.detachKeys);
  // No response-head timeout by default: with `logs` the engine may take long before it switches.
  const callOptions = { timeout: 0, ...options };
  return openHijackedSession(api, { operation: 'ContainerAttach', method: 'POST', path, query: effective, options: callOptions }, context);
}

/**
 * `GET /containers/{id}/attach/ws`: the container's output read through the engine's WebSocket endpoint,
 * as raw byte chunks (this endpoint does not multiplex stdout and stderr). Lazy: the connection is opened
 * when the iteration starts, and closed when it is left.
 */
export function attachWebSocket(api: ApiClient, id: string, query: ContainerAttachWebsocketQuery | undefined, options?: CallOptions): AsyncIterable<Uint8Array> {
  const path = route`/containers/${id}/attach/ws`;
  const effective = query ?? DEFAULT_ATTACH;
  validateDetachKeys(effective.detachKeys);
  const signal = options?.signal;
  return {
    async *[Symbol.asyncIterator]() {
      // Loaded here: it needs node:crypto, which nothing else on the common paths does.
      const { clientCloseFrame, createWebSocketKey, webSocketAccept, webSocketData } = await import('../stream/websocket.js');
      const key = createWebSocketKey();
      const response = await api.send({
        operation: 'ContainerAttachWebsocket',
        method: 'GET',
        path,
        query: effective,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, Origin: 'http://localhost' },
        options: { timeout: 0, ...options },
      });
      if (response.status !== 101) {
        response.cancel();
        throw new ProtocolError(`The engine answered the WebSocket attach with ${response.status} instead of 101 Switching Protocols`);
      }
      if (response.headers.get('sec-websocket-accept') !== webSocketAccept(key)) {
        response.cancel();
        throw new ProtocolError('The engine answered the WebSocket attach with a wrong Sec-WebSocket-Accept');
      }
      const stream = response.takeOver();
      stream.on('error', () => undefined);
      const onAbort = () => stream.destroy();
      signal?.addEventListener('abort', onAbort, { once: true });
      let finished = false;
      try {
        yield* webSocketData(stream);
        finished = true;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        // Leaving first: say goodbye properly, then drop the connection.
        if (!finished && !stream.destroyed && !stream.writableEnded) stream.end(clientCloseFrame());
        stream.destroy();
      }
      if (signal?.aborted) throw signal.reason;
    },
  };
}
