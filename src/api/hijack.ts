import { isMultiplexedContentType } from '../stream/frames.js';
import { HijackedSession, type TerminalSize } from '../stream/hijacked-session.js';
import type { ApiCall, ApiClient } from './api-client.js';
import { compareApiVersions } from './version.js';

/** What opening a hijacked session needs besides the call itself. */
export interface HijackOptions {
  /** Whether the process has a TTY; asked only when the response does not say it reliably. */
  hasTty: () => Promise<boolean>;
  /** Resizes the process's TTY. */
  resize: (size: TerminalSize) => Promise<void>;
}

/**
 * Sends an attach or exec-start call with the upgrade headers and turns the answer (a `101`, or a `200`
 * that carries the raw stream all the same) into a {@link HijackedSession}.
 */
export async function openHijackedSession(api: ApiClient, call: ApiCall, options: HijackOptions): Promise<HijackedSession> {
  const response = await api.send({ ...call, upgrade: true });
  try {
    const version = await api.apiVersion(call.options);
    let multiplexed = isMultiplexedContentType(response.headers.get('content-type'));
    // dockerd names the multiplexed format only from API 1.42 on: before that (and on any 200 answer) it
    // says `raw-stream` whatever the format is, so the TTY setting decides, as in the Docker CLI.
    const trustworthy = response.status === 101 && compareApiVersions(version, '1.42') >= 0;
    if (multiplexed !== true && !trustworthy) multiplexed = undefined;
    if (multiplexed === undefined) multiplexed = !(await options.hasTty());
    const stream = response.takeOver();
    return new HijackedSession({ stream, multiplexed, resize: options.resize, signal: call.options?.signal, endpoint: api.http.endpoint });
  } catch (error) {
    // The connection was never handed over: close it rather than leave it half-used.
    response.cancel();
    throw error;
  }
}
