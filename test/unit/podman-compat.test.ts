/**
 * The Podman adjustments (src/api/podman-compat.ts) on recorded Podman 4.3 answers; the integration suite's
 * Podman run checks them against the real engine.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjustCallForPodman, adjustErrorForPodman, adjustResultForPodman, adjustStreamItemForPodman, familiarName, prefixedId } from '../../src/api/podman-compat.js';
import { ConflictError, NotFoundError, ServerError, UnsupportedOperationError } from '../../src/errors.js';

const hex = '0f775f6208dd3d798b6c08130b7b1b5aac1d0bcb0093042113da4570cf9a7f40';

test('ImageList: digests is not sent to Podman (it answers an empty body), other options are', () => {
  const call = adjustCallForPodman({ operation: 'ImageList', method: 'GET', path: '/images/json', query: { all: true, digests: true } });
  assert.deepEqual(call.query, { all: true });
});

test('ImageCreate: an import names repo:tag in repo (Podman ignores tag there); a pull is left alone', () => {
  const imported = adjustCallForPodman({ operation: 'ImageCreate', method: 'POST', path: '/images/create', query: { fromSrc: '-', repo: 'x', tag: 'v1' } });
  assert.deepEqual(imported.query, { fromSrc: '-', repo: 'x:v1' });
  const pulled = { operation: 'ImageCreate' as const, method: 'POST' as const, path: '/images/create', query: { fromImage: 'x', tag: 'v1' } };
  assert.equal(adjustCallForPodman(pulled), pulled);
});

test('ImageCommit: an empty JSON body when the caller gave none; a given body is kept', () => {
  assert.deepEqual(adjustCallForPodman({ operation: 'ImageCommit', method: 'POST', path: '/commit' }).body, {});
  assert.deepEqual(adjustCallForPodman({ operation: 'ImageCommit', method: 'POST', path: '/commit', body: { Cmd: ['sh'] } }).body, { Cmd: ['sh'] });
});

test('image IDs get their sha256: prefix, as dockerd writes them', () => {
  assert.deepEqual(adjustResultForPodman('ImageCommit', { Id: hex }), { Id: `sha256:${hex}` });
  assert.deepEqual(adjustResultForPodman('ImageHistory', [{ Id: hex, Comment: 'c' }, { Id: '<missing>' }]), [{ Id: `sha256:${hex}`, Comment: 'c' }, { Id: '<missing>' }]);
  assert.deepEqual(adjustResultForPodman('ImageDelete', [{ Deleted: hex }, { Untagged: 'docker.io/library/x:v1' }]), [{ Deleted: `sha256:${hex}` }, { Untagged: 'x:v1' }]);
  assert.equal(prefixedId(`sha256:${hex}`), `sha256:${hex}`);
  assert.equal(prefixedId('abc'), 'abc');
});

test('image names in Docker\'s short form; other registries and localhost/ are kept', () => {
  assert.equal(familiarName('docker.io/library/busybox:1'), 'busybox:1');
  assert.equal(familiarName('docker.io/me/app:2'), 'me/app:2');
  assert.equal(familiarName('localhost/busybox:local'), 'localhost/busybox:local');
  assert.equal(familiarName('127.0.0.1:5000/a/b:c'), '127.0.0.1:5000/a/b:c');
  const listed = adjustResultForPodman('ImageList', [{ Id: 'sha256:1', RepoTags: ['docker.io/library/x:1'], RepoDigests: ['docker.io/library/x@sha256:2'] }]);
  assert.deepEqual(listed, [{ Id: 'sha256:1', RepoTags: ['x:1'], RepoDigests: ['x@sha256:2'] }]);
  assert.deepEqual(adjustResultForPodman('ImageInspect', { RepoTags: null }), { RepoTags: null });
});

test('other operations pass through untouched', () => {
  const value = [{ Id: hex }];
  assert.equal(adjustResultForPodman('NetworkList', value), value);
});

test('a 500 for a 64-hex image ID that does not exist becomes NotFoundError', () => {
  const error = adjustErrorForPodman(new ServerError({ status: 500, method: 'GET', path: `/images/${hex}/json`, message: `normalizing image: normalizing name "${hex}": invalid repository name (${hex}), cannot specify 64-byte hexadecimal strings` }), 'ImageInspect', 'Podman 4.3.1');
  assert.ok(error instanceof NotFoundError);
  assert.equal(error.status, 404);
  assert.match(error.message, /^No such image \(Podman 4\.3\.1: /);
  const other = new ServerError({ status: 500, method: 'GET', path: '/x', message: 'boom' });
  assert.equal(adjustErrorForPodman(other, 'ImageInspect', 'Podman'), other);
});

test('state conflicts that Podman answers with 500 become ConflictError (409), as on dockerd', () => {
  const running = adjustErrorForPodman(new ServerError({ status: 500, method: 'DELETE', path: '/containers/x', message: 'cannot remove container x as it is running - running or paused containers cannot be removed without force: container state improper' }), 'ContainerDelete', 'Podman');
  assert.ok(running instanceof ConflictError);
  assert.equal(running.status, 409);
  assert.match(running.message, /cannot remove container x as it is running/);
  const tagged = adjustErrorForPodman(new ServerError({ status: 500, method: 'DELETE', path: '/images/x', message: 'unable to delete image "x" by ID with more than one tag ([a b]): please force removal' }), 'ImageDelete', 'Podman');
  assert.ok(tagged instanceof ConflictError);
});

test('ImagePrune with dangling=false says that Podman cannot do it', () => {
  const error = adjustErrorForPodman(new ServerError({ status: 500, method: 'POST', path: '/images/prune', message: 'specifying "dangling" filter more than once with different values is not supported' }), 'ImagePrune', 'Podman 4.3.1');
  assert.ok(error instanceof UnsupportedOperationError);
  assert.equal(error.operation, 'ImagePrune');
  assert.match(error.message, /^Podman 4\.3\.1 cannot prune images that are not dangling/);
});

test('ContainerTop: Podman\'s unsplit ps lines become columns, the command keeping its spaces', () => {
  const top = adjustResultForPodman('ContainerTop', { Titles: ['PID   USER     COMMAND'], Processes: [['1 root     sleep 30'], ['16 root     ps']] });
  assert.deepEqual(top, { Titles: ['PID', 'USER', 'COMMAND'], Processes: [['1', 'root', 'sleep 30'], ['16', 'root', 'ps']] });
  const docker = { Titles: ['UID', 'PID', 'CMD'], Processes: [['root', '1', 'sleep 30']] };
  assert.deepEqual(adjustResultForPodman('ContainerTop', docker), docker);
});

test('the image of a container in Docker\'s short form, in lists and in inspect', () => {
  assert.deepEqual(adjustResultForPodman('ContainerList', [{ Id: 'a', Image: 'docker.io/library/busybox:local' }]), [{ Id: 'a', Image: 'busybox:local' }]);
  const inspected = adjustResultForPodman('ContainerInspect', { Id: 'a', Image: 'sha256:1', Config: { Image: 'docker.io/library/busybox:local', Tty: false } });
  assert.deepEqual(inspected, { Id: 'a', Image: 'sha256:1', Config: { Image: 'busybox:local', Tty: false } });
});

test('events: a container\'s remove is destroy, as dockerd names it; a filter on destroy also asks for remove', () => {
  const event = { Type: 'container', Action: 'remove', status: 'remove', id: 'a', Actor: { ID: 'a' } };
  assert.deepEqual(adjustStreamItemForPodman('SystemEvents', event), { ...event, Action: 'destroy', status: 'destroy' });
  const image = { Type: 'image', Action: 'remove' };
  assert.equal(adjustStreamItemForPodman('SystemEvents', image), image);
  const call = adjustCallForPodman({ operation: 'SystemEvents', method: 'GET', path: '/events', query: { filters: { event: ['destroy'], label: ['a=b'] } } });
  assert.deepEqual(call.query, { filters: { event: ['destroy', 'remove'], label: ['a=b'] } });
});
