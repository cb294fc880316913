// Pull an image and draw a progress bar from the engine's progress messages.
// Run: node examples/pull-progress.mjs IMAGE   (e.g. 127.0.0.1:5000/app:1, a registry the engine can reach)
import { Docker, StreamError } from '../dist/src/index.js';

const image = process.argv[2];
if (!image) {
  console.error('usage: node examples/pull-progress.mjs IMAGE');
  process.exit(2);
}
const docker = Docker.fromEnv();

/** Bytes done and total, per layer. */
const layers = new Map();
const bar = () => {
  let current = 0;
  let total = 0;
  for (const layer of layers.values()) { current += layer.current; total += layer.total; }
  const fraction = total > 0 ? current / total : 0;
  const width = 30;
  return `[${'='.repeat(Math.round(fraction * width)).padEnd(width)}] ${(current / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB`;
};

const pull = docker.images.pull(image);
try {
  // Iterate for progress, then await for the result: one request.
  for await (const message of pull) {
    if (message.id && message.progressDetail?.total) {
      layers.set(message.id, { current: message.progressDetail.current ?? 0, total: message.progressDetail.total });
      if (process.stdout.isTTY) process.stdout.write(`\r${bar()}`);
    } else if (message.status) {
      console.log(`${message.id ? `${message.id}: ` : ''}${message.status}`);
    }
  }
  const { reference, digest, status } = await pull;
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(bar());
  console.log(`pulled ${reference} ${digest ?? ''}`);
  console.log(status ?? '');
} catch (error) {
  // A pull that fails part-way rejects: with a StreamError when the engine said so inside the stream.
  console.error(`pull failed${error instanceof StreamError ? ' (in the stream)' : ''}: ${error.message}`);
  process.exitCode = 1;
} finally {
  docker.close();
}
