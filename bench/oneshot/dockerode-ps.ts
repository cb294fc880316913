/** `docker ps -a` as a one-shot dockerode script, written the way its users would. Host from DOCKER_HOST. */
import { requireDockerode } from '../contenders/dockerode.js';

const Docker = requireDockerode();
const socketPath = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
const docker = new Docker({ socketPath });
const containers = await docker.listContainers({ all: true }) as Array<{ Id: string; Image: string; Command: string; Created: number; Status: string; Names: string[] }>;
const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'NAMES']];
const now = Date.now() / 1000;
for (const c of containers) {
  rows.push([c.Id.slice(0, 12), c.Image, JSON.stringify(c.Command.slice(0, 20)), `${Math.round((now - c.Created) / 60)} minutes ago`, c.Status, c.Names.map((n) => n.slice(1)).join(',')]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
process.stdout.write(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]! + 3)).join('').trimEnd()).join('\n') + '\n');
