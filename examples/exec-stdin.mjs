// Run a command in a running container, feed it stdin, and collect its output and exit code.
// Run: node examples/exec-stdin.mjs
import { Docker } from '../dist/src/index.js';

const docker = Docker.fromEnv();
const image = process.env.EXAMPLE_IMAGE ?? 'busybox:local';

const { Id } = await docker.containers.create({ Image: image, Cmd: ['sleep', '300'], Labels: { 'berth.example': 'exec' } });
try {
  await docker.containers.start(Id);
  // stdin is closed (end of file) once everything was sent, so `tr` ends and the exec exits.
  const result = await docker.exec.run(Id, ['sh', '-c', 'tr a-z A-Z; echo done >&2; exit 7'], { stdin: 'hello through stdin\n' });
  console.log(`stdout: ${result.stdout.trimEnd()}`);
  console.log(`stderr: ${result.stderr.trimEnd()}`);
  console.log(`exit code: ${result.exitCode}`);
} finally {
  await docker.containers.remove(Id, { force: true });
  docker.close();
}
