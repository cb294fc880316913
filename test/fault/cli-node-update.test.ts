/**
 * `berth node update` when the node's version moves between the command's inspect and its update, as a swarm
 * manager's own status updates make it do: the engine answers "update out of sequence", and the command reads
 * the node again and applies the same change to the new version. A fake engine, because a real one moves the
 * version at moments a test cannot choose.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { apiRequests, jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const NODE_ID = 'n0d3n0d3n0d3n0d3n0d3n0d3n';
const OUT_OF_SEQUENCE = { message: 'rpc error: code = Unknown desc = update out of sequence' };

/** A node whose version moves on every inspect, `staleUpdates` times, then stays. */
function nodeEngine(staleUpdates: number): Promise<FakeEngine> {
  let version = 10;
  let moves = staleUpdates;
  return startFakeEngine((request, socket) => {
    if (request.method === 'GET' && request.target.startsWith(`/v1.41/nodes/${NODE_ID}`)) {
      socket.write(jsonResponse(200, { ID: NODE_ID, Version: { Index: version }, Spec: { Role: 'manager', Availability: 'active', Labels: { kept: 'yes' } } }));
      // The manager records the node's status right after: the version the command just read is outdated.
      if (moves > 0) { moves--; version++; }
    } else if (request.method === 'POST' && request.target.startsWith(`/v1.41/nodes/${NODE_ID}/update?version=`)) {
      const sent = Number(/version=(\d+)/.exec(request.target)![1]);
      socket.write(sent === version ? 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' : jsonResponse(500, OUT_OF_SEQUENCE));
    } else {
      socket.write(jsonResponse(404, { message: `unexpected ${request.method} ${request.target}` }));
    }
  });
}

describe('berth node update against a node whose version moves', () => {
  const engines: FakeEngine[] = [];
  after(() => Promise.all(engines.map((engine) => engine.close())));

  it('reads the node again and applies the same change when the engine says "update out of sequence"', async () => {
    const engine = await nodeEngine(2);
    engines.push(engine);
    const result = await runCli(['-H', engine.host, 'node', 'update', '--label-add', 'zone=b', NODE_ID], { noHost: true });
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${NODE_ID}\n`, '']);
    const updates = apiRequests(engine).filter((request) => request.method === 'POST');
    assert.deepEqual(updates.map((request) => /version=(\d+)/.exec(request.target)![1]), ['10', '11', '12']);
    // Each attempt sends the whole change on top of what the node has: the label kept, the new one added.
    for (const update of updates) assert.deepEqual(JSON.parse(update.body.toString()).Labels, { kept: 'yes', zone: 'b' });
  });

  it('gives up after three attempts with the engine message and exit code 1', async () => {
    const engine = await nodeEngine(Infinity);
    engines.push(engine);
    const result = await runCli(['-H', engine.host, 'node', 'update', '--label-add', 'zone=b', NODE_ID], { noHost: true });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /update out of sequence/);
    assert.equal(apiRequests(engine).filter((request) => request.method === 'POST').length, 3);
  });
});
