/**
 * `docker ps -a` as a one-shot raw-socket script: the limit for a CLI run. One request on `node:net`, the
 * answer parsed and printed as a table. Host from DOCKER_HOST (unix:// only).
 */
import { connect } from 'node:net';

const socketPath = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
const socket = connect(socketPath);
const chunks: Buffer[] = [];
socket.on('data', (chunk: Buffer) => chunks.push(chunk));
socket.on('end', () => {
  const response = Buffer.concat(chunks);
  const headEnd = response.indexOf('\r\n\r\n');
  const head = response.toString('latin1', 0, headEnd).toLowerCase();
  let body = response.subarray(headEnd + 4);
  if (head.includes('transfer-encoding: chunked')) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.toString('latin1', at, lineEnd), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  const containers = JSON.parse(body.toString('utf8')) as Array<{ Id: string; Image: string; Command: string; Created: number; Status: string; Names: string[] }>;
  const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'NAMES']];
  const now = Date.now() / 1000;
  for (const c of containers) {
    rows.push([c.Id.slice(0, 12), c.Image, JSON.stringify(c.Command.slice(0, 20)), `${Math.round((now - c.Created) / 60)} minutes ago`, c.Status, c.Names.map((n) => n.slice(1)).join(',')]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]! + 3)).join('').trimEnd()).join('\n') + '\n');
});
socket.write('GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
