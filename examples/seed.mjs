// The seed scenario: list, create, start, wait, logs, stop, remove.
// Run: npm run build && node examples/seed.mjs   (the engine from DOCKER_HOST, contexts or the default socket)
import { Docker } from '../dist/src/index.js';

const docker = Docker.fromEnv();
const image = process.env.EXAMPLE_IMAGE ?? 'busybox:local';
const name = process.argv[2] ?? `berth-example-${process.pid}`;

const before = await docker.containers.list({ all: true });
console.log(`containers before: ${before.length}`);

const { Id } = await docker.containers.create(
  { Image: image, Cmd: ['sh', '-c', 'echo hello from stdout; echo hello from stderr >&2; exit 3'], Labels: { 'berth.example': 'seed' } },
  { name },
);
console.log(`created ${name} ${Id.slice(0, 12)}`);
try {
  await docker.containers.start(Id);
  const { StatusCode } = await docker.containers.wait(Id);
  console.log(`exit code: ${StatusCode}`);
  // Logs are always frames: stdout and stderr stay apart.
  for await (const frame of docker.containers.logs(Id, { stdout: true, stderr: true })) {
    console.log(`${frame.stream}: ${Buffer.from(frame.data).toString('utf8').trimEnd()}`);
  }
  // Stopping a container that already stopped is a 304 from the engine: a result, not an error.
  const { alreadyStopped } = await docker.containers.stop(Id);
  console.log(`already stopped: ${alreadyStopped}`);
} finally {
  await docker.containers.remove(Id, { force: true });
  console.log(`removed ${name}`);
  docker.close();
}
