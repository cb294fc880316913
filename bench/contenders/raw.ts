/** The limit: the raw keep-alive client, requests prepared as bytes, bodies parsed with the least work. */
import { connect } from 'node:net';
import { DemuxCounter, JsonLineCounter, JsonSink, RawClient, jsonRequest, requestHead } from '../raw-client.js';
import type { Contender, StreamCounts } from './contender.js';

const V = '/v1.41';

export function rawContender(socketPath: string): Contender {
  const client = new RawClient(socketPath);
  const ping = requestHead('HEAD', '/_ping');
  const heads = new Map<string, Buffer>();
  const cachedHead = (method: string, target: string): Buffer => {
    const key = method + target;
    let head = heads.get(key);
    if (!head) { head = requestHead(method, target); heads.set(key, head); }
    return head;
  };
  const json = async <T>(request: Buffer): Promise<T> => {
    const sink = new JsonSink();
    const status = await client.request(request, sink);
    if (status >= 300) throw new Error(`status ${status}`);
    return sink.json<T>();
  };
  const empty = async (request: Buffer): Promise<void> => {
    const status = await client.request(request);
    if (status >= 300 && status !== 304) throw new Error(`status ${status}`);
  };
  return {
    name: 'raw',
    async ping() {
      await client.request(ping, undefined, true);
    },
    async list(limit) {
      const query = limit === undefined ? '?all=1' : `?all=1&limit=${limit}`;
      return (await json<unknown[]>(cachedHead('GET', `${V}/containers/json${query}`))).length;
    },
    async inspect(id) {
      return (await json<{ Id: string }>(cachedHead('GET', `${V}/containers/${id}/json`))).Id;
    },
    async logs(id): Promise<StreamCounts> {
      const counter = new DemuxCounter();
      await client.request(cachedHead('GET', `${V}/containers/${id}/logs?stdout=1&stderr=1`), counter);
      return { stdout: counter.stdout, stderr: counter.stderr };
    },
    async events(until) {
      const counter = new JsonLineCounter();
      await client.request(cachedHead('GET', `${V}/events?since=1&until=${until}`), counter);
      return counter.count;
    },
    async lifecycle(image, name, labels) {
      const { Id } = await json<{ Id: string }>(jsonRequest('POST', `${V}/containers/create?name=${name}`, { Image: image, Cmd: ['true'], Labels: labels }));
      await empty(jsonRequest('POST', `${V}/containers/${Id}/start`));
      await json<{ StatusCode: number }>(jsonRequest('POST', `${V}/containers/${Id}/wait`));
      await empty(requestHead('DELETE', `${V}/containers/${Id}`));
    },
    async exec(containerId) {
      const { Id } = await json<{ Id: string }>(jsonRequest('POST', `${V}/containers/${containerId}/exec`, { Cmd: ['true'], AttachStdout: true, AttachStderr: true }));
      await hijackedExecStart(socketPath, Id);
      return (await json<{ ExitCode: number }>(cachedHead('GET', `${V}/exec/${Id}/json`))).ExitCode;
    },
    close() {
      client.close();
    },
  };
}

/** `POST /exec/{id}/start` upgraded to a raw stream, read until the engine closes it. */
function hijackedExecStart(socketPath: string, id: string): Promise<StreamCounts> {
  const body = '{"Detach":false,"Tty":false}';
  const request = `POST ${V}/exec/${id}/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const counter = new DemuxCounter();
    let head = true;
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (!head) { counter.data(chunk, 0, chunk.length); return; }
      pending = Buffer.concat([pending, chunk]);
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      head = false;
      counter.data(pending, end + 4, pending.length);
    });
    socket.on('end', () => { socket.destroy(); resolve({ stdout: counter.stdout, stderr: counter.stderr }); });
    socket.on('error', reject);
    socket.write(request);
  });
}
