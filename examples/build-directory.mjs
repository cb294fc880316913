// Build an image from a directory (Dockerfile and .dockerignore honoured), print the build output, run it.
// Run: node examples/build-directory.mjs [DIRECTORY]   (without one, a small directory is made in /tmp)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Docker } from '../dist/src/index.js';

const docker = Docker.fromEnv();
const image = process.env.EXAMPLE_IMAGE ?? 'busybox:local';
let directory = process.argv[2];
const made = !directory;
if (made) {
  directory = await mkdtemp(join(tmpdir(), 'berth-build-example-'));
  await writeFile(join(directory, 'Dockerfile'), `FROM ${image}\nCOPY greeting.txt /greeting.txt\nCMD ["cat", "/greeting.txt"]\n`);
  await writeFile(join(directory, 'greeting.txt'), 'hello from a built image\n');
  await writeFile(join(directory, 'secret.env'), 'NOT_FOR_THE_IMAGE=1\n');
  await writeFile(join(directory, '.dockerignore'), 'secret.env\n');
}
const tag = `berth-example-build:${process.pid}`;
try {
  const build = docker.images.build(directory, { t: tag, labels: { 'berth.example': 'build' } });
  for await (const message of build) if (message.stream) process.stdout.write(message.stream);
  const { id } = await build;
  console.log(`built ${tag} ${id}`);

  const { Id } = await docker.containers.create({ Image: tag });
  await docker.containers.start(Id);
  await docker.containers.wait(Id);
  for await (const frame of docker.containers.logs(Id, { stdout: true })) process.stdout.write(frame.data);
  await docker.containers.remove(Id, { force: true });
  await docker.images.remove(tag);
  console.log(`removed ${tag}`);
} finally {
  if (made) await rm(directory, { recursive: true, force: true });
  docker.close();
}
