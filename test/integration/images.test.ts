import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import tarStream from 'tar-stream';
import { ConflictError, EngineError, NotFoundError, VersionError, type Docker } from '../../src/index.js';
import { Cleanup, podmanDiffers, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../helpers/engine.js';

let docker: Docker;
let cleanup: Cleanup;
const label = uniqueName('images');
const images: string[] = [];

/** Records an image to remove at the end (forced: tags and all). */
function track(name: string): string {
  images.push(name);
  return name;
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The entries of a tar, name → content. */
async function untar(tar: Buffer): Promise<Map<string, Buffer>> {
  const extract = tarStream.extract();
  const out = new Map<string, Buffer>();
  const done = (async () => {
    for await (const entry of extract) out.set(entry.header.name, await collect(entry as AsyncIterable<Uint8Array>));
  })();
  extract.end(tar);
  await done;
  return out;
}

/** Runs a command in a container of `image` and commits it, with `changes`. */
async function commitFrom(command: string, changes: string[], repo?: string) {
  const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', command], Labels: { [TEST_LABEL]: label } }));
  await docker.containers.start(Id);
  await docker.containers.wait(Id);
  const committed = await docker.images.commit(Id, { repo, tag: repo ? '1' : undefined, comment: 'made by berth', author: 'berth tests', changes });
  track(committed.Id);
  return committed.Id;
}

before(() => {
  docker = testDocker();
  cleanup = new Cleanup(docker);
});
after(async () => {
  for (const image of images.reverse()) await docker.images.remove(image, { force: true }).catch(() => undefined);
  await cleanup.run();
});

test('commit applies changes; inspect and history show them', async () => {
  const repo = track(uniqueName('commit'));
  const id = await commitFrom('echo data > /marker', ['ENV BERTH_COMMIT=1', `LABEL ${TEST_LABEL}=${label}`, 'CMD ["cat", "/marker"]'], repo);
  const image = await docker.images.inspect(`${repo}:1`);
  assert.equal(image.Id, id);
  assert.ok(image.Config?.Env?.includes('BERTH_COMMIT=1'));
  assert.equal(image.Config?.Labels?.[TEST_LABEL], label);
  assert.deepEqual(image.Config?.Cmd, ['cat', '/marker']);
  assert.equal(image.Author, 'berth tests');
  const history = await docker.images.history(`${repo}:1`);
  assert.equal(history[0]!.Id, id);
  assert.ok(history.length >= 2, 'the base image layer is in the history too');
});

test('a commit message shows in the history', async (t) => {
  podmanDiffers(t, 'Podman 4.3 puts the base image ("FROM …") in the history comment, not the commit message');
  const id = await commitFrom('true', [], uniqueName('comment'));
  const history = await docker.images.history(id);
  assert.equal(history[0]!.Comment, 'made by berth');
});

test('prune removes the dangling images with this run\'s label, and nothing else', async () => {
  const pruneLabel = `${label}-prune`;
  const dangling = await commitFrom('true', [`LABEL ${TEST_LABEL}=${pruneLabel}`]);
  const other = await commitFrom('true', [`LABEL ${TEST_LABEL}=${label}-kept`]);
  const pruned = await docker.images.prune({ filters: { label: [`${TEST_LABEL}=${pruneLabel}`] } });
  assert.deepEqual(pruned.ImagesDeleted.map((item) => item.Deleted).filter(Boolean), [dangling]);
  await assert.rejects(docker.images.inspect(dangling), NotFoundError);
  assert.equal((await docker.images.inspect(other)).Id, other, 'a dangling image with another label is left alone');
  assert.ok((await docker.images.inspect(TEST_IMAGE)).Id);
});

test('tag (with "repo:tag" split like the CLI), list with filters and digests, remove a tag then the image', async () => {
  const id = await commitFrom('true', [`LABEL ${TEST_LABEL}=${label}`]);
  const name = uniqueName('tag');
  await docker.images.tag(id, { repo: `${name}:v1` });
  await docker.images.tag(id, { repo: name, tag: 'v2' });
  const listed = await docker.images.list({ filters: { label: [`${TEST_LABEL}=${label}`], reference: [`${name}:*`] }, digests: true });
  assert.equal(listed.length, 1);
  assert.deepEqual([...listed[0]!.RepoTags!].sort(), [`${name}:v1`, `${name}:v2`]);
  const untagged = await docker.images.remove(`${name}:v1`);
  assert.deepEqual(untagged, [{ Untagged: `${name}:v1` }]);
  // Two names point at it: removing by ID without force is a conflict; noprune keeps the parent layers.
  await docker.images.tag(id, { repo: name, tag: 'v3' });
  await assert.rejects(docker.images.remove(id), ConflictError);
  const removed = await docker.images.remove(id, { force: true, noprune: true });
  assert.ok(removed.some((item) => item.Deleted === id));
  await assert.rejects(docker.images.inspect(id), NotFoundError);
});

test('an image name with a registry, port and path is one path parameter', async () => {
  const id = await commitFrom('true', []);
  const name = `127.0.0.1:5999/${uniqueName('ns')}/app`;
  await docker.images.tag(id, { repo: name, tag: 'x' });
  track(`${name}:x`);
  assert.equal((await docker.images.inspect(`${name}:x`)).Id, id);
  assert.equal((await docker.images.history(`${name}:x`))[0]!.Id, id);
  assert.throws(() => docker.images.inspect('a/../../info'), /"\." or "\.\." segment/);
});

test('save one image, remove it, load it back: same ID, same tag, loaded names reported', async () => {
  const name = uniqueName('save');
  const id = await commitFrom('echo saved > /saved', [], name);
  const tar = await collect(docker.images.save(`${name}:1`));
  assert.ok((await untar(tar)).has('manifest.json'));
  await docker.images.remove(`${name}:1`, { force: true });
  await assert.rejects(docker.images.inspect(id), NotFoundError);
  const load = docker.images.load(tar);
  const messages = [];
  for await (const message of load) messages.push(message);
  const result = await load;
  assert.deepEqual(result.images, [`${name}:1`]);
  assert.ok(messages.length > 0);
  assert.equal((await docker.images.inspect(`${name}:1`)).Id, id);
});

test('save several images into one tar (GET /images/get?names=…)', async () => {
  const a = uniqueName('save-a');
  const b = uniqueName('save-b');
  await commitFrom('true', [], a);
  await commitFrom('true', [], b);
  const entries = await untar(await collect(docker.images.save([`${a}:1`, `${b}:1`])));
  const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Array<{ RepoTags: string[] }>;
  // The tar is the engine's own format: Podman writes Docker Hub names in full (docker.io/library/…).
  const names = manifest.flatMap((item) => item.RepoTags).map((name) => name.replace(/^docker\.io\/library\//, ''));
  assert.deepEqual(names.sort(), [`${a}:1`, `${b}:1`].sort());
});

test('import a container filesystem streamed from export, with changes; import a tar made here', async () => {
  const { Id: container } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: label } }));
  const name = uniqueName('import');
  const operation = docker.images.import(docker.containers.export(container), {
    repo: name, tag: 'imported', message: 'imported by berth', changes: ['CMD ["/bin/sh"]', `LABEL ${TEST_LABEL}=${label}-import`],
  });
  const { id } = await operation;
  assert.match(id ?? '', /^sha256:[0-9a-f]{64}$/);
  track(id!);
  const image = await docker.images.inspect(`${name}:imported`);
  assert.equal(image.Id, id);
  assert.deepEqual(image.Config?.Cmd, ['/bin/sh']);
  assert.equal(image.Comment, 'imported by berth');
  assert.ok((image.Size ?? 0) > 500_000, 'the whole busybox filesystem was streamed in');

  // A tar made here (bytes): one file.
  const pack = tarStream.pack();
  pack.entry({ name: 'hello.txt', mode: 0o644 }, 'hello from berth\n');
  pack.finalize();
  const small = await docker.images.import(await collect(pack as AsyncIterable<Uint8Array>), { changes: [`LABEL ${TEST_LABEL}=${label}-import`] });
  track(small.id!);
  assert.equal((await docker.images.inspect(small.id!)).Config?.Labels?.[TEST_LABEL], `${label}-import`);

  const listed = await docker.images.list({ filters: { label: [`${TEST_LABEL}=${label}-import`] } });
  assert.deepEqual(listed.map((image) => image.Id).sort(), [id!, small.id!].sort());
});

test('import from a URL that cannot be fetched rejects with the engine message', async () => {
  await assert.rejects(async () => { await docker.images.import('http://127.0.0.1:1/nothing.tar'); }, (error: unknown) => {
    assert.ok(error instanceof EngineError || (error as Error).name === 'StreamError', String(error));
    assert.match((error as Error).message, /127\.0\.0\.1:1/);
    return true;
  });
});

test('attestations need API 1.55: a VersionError before any request on this engine', async () => {
  const version = await docker.apiVersion();
  if (Number(version.split('.')[1]) >= 55) return; // this test is about older engines
  await assert.rejects(docker.images.attestations(TEST_IMAGE), (error: unknown) => {
    assert.ok(error instanceof VersionError);
    assert.equal(error.required, '1.55');
    return true;
  });
});

test('build prune with a filter that matches nothing: the call works and deletes nothing', async (t) => {
  if (podmanDiffers(t, 'Podman 4.3 has no POST /build/prune (Berth raises UnsupportedOperationError)', { run: false })) return;
  const result = await docker.images.buildPrune({ filters: { id: [uniqueName('no-such-cache')] }, 'reserved-space': 1 });
  assert.deepEqual(result.CachesDeleted, []);
  assert.equal(typeof result.SpaceReclaimed, 'number');
});

test('search of a registry without a search API gives a typed error with the engine message', async () => {
  await assert.rejects(docker.images.search({ term: `${process.env.BERTH_TEST_REGISTRY ?? '127.0.0.1:5000'}/nothing` }), (error: unknown) => {
    assert.ok(error instanceof EngineError, String(error));
    assert.ok(error.message.length > 0);
    return true;
  });
});
