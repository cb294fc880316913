/** Berth, as its users write it: the public API from the built package (dist/src/index.js). */
import { Docker, type OutputFrame } from '../../src/index.js';
import type { Contender, StreamCounts } from './contender.js';

/** What later versions of Berth add; the bench uses them when the build has them. */
interface Optional {
  events?: (query: { since?: number; until?: number }) => AsyncIterable<unknown>;
  run?: (containerId: string, cmd: string[]) => Promise<{ exitCode: number }>;
}

export function berthContender(socketPath: string): Contender {
  const docker = new Docker({ host: `unix://${socketPath}` });
  const events = (docker.system as unknown as Optional).events?.bind(docker.system);
  const run = (docker.exec as unknown as Optional).run?.bind(docker.exec);
  return {
    name: 'berth',
    async ping() {
      await docker.ping();
    },
    async list(limit) {
      return (await docker.containers.list({ all: true, limit })).length;
    },
    async inspect(id) {
      return (await docker.containers.inspect(id)).Id!;
    },
    async logs(id): Promise<StreamCounts> {
      let stdout = 0;
      let stderr = 0;
      for await (const frame of docker.containers.logs(id, { stdout: true, stderr: true }) as AsyncIterable<OutputFrame>) {
        if (frame.stream === 'stderr') stderr += frame.data.length; else stdout += frame.data.length;
      }
      return { stdout, stderr };
    },
    async events(until) {
      if (!events) throw new Error('this build of Berth has no docker.system.events');
      let count = 0;
      for await (const _event of events({ since: 1, until })) count++;
      return count;
    },
    async lifecycle(image, name, labels) {
      const { Id } = await docker.containers.create({ Image: image, Cmd: ['true'], Labels: labels }, { name });
      await docker.containers.start(Id);
      await docker.containers.wait(Id);
      await docker.containers.remove(Id);
    },
    exec: run ? async (containerId) => (await run(containerId, ['true'])).exitCode : undefined,
    close() {
      docker.close();
    },
  };
}
