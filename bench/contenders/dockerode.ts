/**
 * dockerode (latest), as its users write it. It is a devDependency of the bench only (bench/package.json),
 * loaded with `require` from there, so the library's own dependencies stay lean and the root build does not
 * need it.
 */
import { createRequire } from 'node:module';
import { Writable, type Readable } from 'node:stream';
import { JsonLineCounter } from '../raw-client.js';
import type { Contender, StreamCounts } from './contender.js';

/** The part of dockerode's API the bench uses. */
interface DockerodeContainer {
  id: string;
  inspect(): Promise<{ Id: string }>;
  logs(options: object): Promise<Readable>;
  start(): Promise<unknown>;
  wait(): Promise<{ StatusCode: number }>;
  remove(): Promise<unknown>;
  exec(options: object): Promise<{ start(options: object): Promise<Readable>; inspect(): Promise<{ ExitCode: number }> }>;
}
interface Dockerode {
  modem: { demuxStream(stream: Readable, stdout: Writable, stderr: Writable): void };
  ping(): Promise<unknown>;
  listContainers(options: object): Promise<unknown[]>;
  getContainer(id: string): DockerodeContainer;
  createContainer(options: object): Promise<DockerodeContainer>;
  getEvents(options: object): Promise<Readable>;
}
type DockerodeConstructor = new (options: { socketPath: string }) => Dockerode;

/** Loads dockerode from the bench's own node_modules. */
export function requireDockerode(): DockerodeConstructor {
  const require = createRequire(new URL('../../../bench/package.json', import.meta.url));
  return require('dockerode') as DockerodeConstructor;
}

function counter(): Writable & { bytes: number } {
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writable.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  writable.bytes = 0;
  return writable;
}

function ended(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
}

export function dockerodeContender(socketPath: string): Contender {
  const Docker = requireDockerode();
  const docker = new Docker({ socketPath });
  return {
    name: 'dockerode',
    async ping() {
      await docker.ping();
    },
    async list(limit) {
      return (await docker.listContainers(limit === undefined ? { all: true } : { all: true, limit })).length;
    },
    async inspect(id) {
      return (await docker.getContainer(id).inspect()).Id;
    },
    async logs(id): Promise<StreamCounts> {
      // Only `follow: true` gives a stream in dockerode; without it the whole log is buffered into one string
      // (which fails at 512 MiB). The fake engine ends the stream either way.
      const stream = await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: true });
      const stdout = counter();
      const stderr = counter();
      docker.modem.demuxStream(stream, stdout, stderr);
      await ended(stream);
      return { stdout: stdout.bytes, stderr: stderr.bytes };
    },
    async events(until) {
      const stream = await docker.getEvents({ since: 1, until });
      const lines = new JsonLineCounter();
      stream.on('data', (chunk: Buffer) => lines.data(chunk, 0, chunk.length));
      await ended(stream);
      return lines.count;
    },
    async lifecycle(image, name, labels) {
      const container = await docker.createContainer({ Image: image, Cmd: ['true'], Labels: labels, name });
      await container.start();
      await container.wait();
      await container.remove();
    },
    async exec(containerId) {
      const exec = await docker.getContainer(containerId).exec({ Cmd: ['true'], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const stdout = counter();
      const stderr = counter();
      docker.modem.demuxStream(stream, stdout, stderr);
      await ended(stream);
      return (await exec.inspect()).ExitCode;
    },
    close() {
      // dockerode keeps no pool of its own to close.
    },
  };
}
