// Follow the engine's events while a container comes and goes; stop following with an AbortSignal.
// Run: node examples/follow-events.mjs
import { Docker } from '../dist/src/index.js';

const docker = Docker.fromEnv();
const image = process.env.EXAMPLE_IMAGE ?? 'busybox:local';
const label = `berth.example=events-${process.pid}`;
const controller = new AbortController();

// Only this example's container: events are filtered by its label on the engine's side.
const events = docker.system.events({ filters: { type: ['container'], label: [label] } }, { signal: controller.signal });
const following = (async () => {
  try {
    for await (const event of events) {
      console.log(`event: ${event.Type} ${event.Action}`);
      if (event.Action === 'destroy') controller.abort();
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;   // aborting ends the loop with the signal's reason
  }
})();

// The events request is sent when the loop starts: give it a moment before making events.
await new Promise((resolve) => setTimeout(resolve, 500));
const [key, value] = label.split('=');
const { Id } = await docker.containers.create({ Image: image, Cmd: ['true'], Labels: { [key]: value } });
await docker.containers.start(Id);
await docker.containers.wait(Id);
await docker.containers.remove(Id);
await following;
console.log('stopped following');
docker.close();
