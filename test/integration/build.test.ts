import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { StreamError, type BuildMessage, type Docker } from '../../src/index.js';
import { podmanDiffers, TEST_IMAGE, TEST_LABEL, testDocker, testHost, uniqueName } from '../helpers/engine.js';

let docker: Docker;
const label = uniqueName('build');
const directories: string[] = [];
const images: string[] = [];

/** A context directory from `{ path: content }`. */
function context(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-build-'));
  directories.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Builds, collecting the output text; resolves with the text and the result. */
async function build(dir: string, options: Parameters<Docker['images']['build']>[1] = {}) {
  const operation = docker.images.build(dir, { labels: { [TEST_LABEL]: label }, ...options });
  let output = '';
  const messages: BuildMessage[] = [];
  for await (const message of operation) {
    messages.push(message);
    output += message.stream ?? '';
  }
  const result = await operation;
  if (result.id) images.push(result.id);
  return { output, result, messages };
}

/** The `/ctx` listing lines a `RUN` printed. */
function listing(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('/ctx')).map((line) => line.trim());
}

/** A Dockerfile that copies the whole context and lists it with modes and types. */
const LIST_CONTEXT = `FROM ${TEST_IMAGE}\nCOPY . /ctx\nRUN find /ctx -exec stat -c '%n %a %F' {} + | sort\n`;

before(() => { docker = testDocker(); });
after(async () => {
  for (const image of images) await docker.images.remove(image, { force: true }).catch(() => undefined);
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  docker.close();
});

/** .dockerignore cases, each checked against what the docker CLI itself sends (when a docker CLI is installed). */
const cases: Array<{ name: string; files: Record<string, string>; dockerfile?: string; absent: string[]; present: string[]; legacyCli?: false; podman?: string }> = [
  {
    name: 'comments, directories, wildcards that stay in one directory',
    files: { '.dockerignore': '# a comment\nsecret.txt\nlogs\n*.tmp\n', 'secret.txt': 's', 'logs/a.log': 'l', 'x.tmp': 't', 'sub/y.tmp': 'kept', 'app.js': 'a' },
    absent: ['/ctx/secret.txt', '/ctx/logs', '/ctx/x.tmp'],
    present: ['/ctx/sub/y.tmp', '/ctx/app.js'],
  },
  {
    name: 'exceptions with !, ** and a leading slash',
    files: { '.dockerignore': '**/*.md\n!README.md\n/build\n!build/keep.txt\n', 'README.md': 'r', 'docs/guide.md': 'g', 'docs/code.js': 'c', 'build/out.o': 'o', 'build/keep.txt': 'k' },
    absent: ['/ctx/docs/guide.md', '/ctx/build/out.o'],
    present: ['/ctx/README.md', '/ctx/docs/code.js', '/ctx/build/keep.txt'],
  },
  {
    name: 'a .dockerignore that lists the Dockerfile and itself still builds',
    files: { '.dockerignore': 'Dockerfile\n.dockerignore\nignored\n', ignored: 'i', kept: 'k' },
    absent: ['/ctx/ignored'],
    present: ['/ctx/kept'],
  },
  {
    name: 'a Dockerfile in a subdirectory that is ignored, with its own Dockerfile.dockerignore',
    dockerfile: 'docker/app.Dockerfile',
    files: { 'docker/app.Dockerfile.dockerignore': 'docker\nprivate\n', '.dockerignore': 'public\n', private: 'p', public: 'p' },
    absent: ['/ctx/private'],
    present: ['/ctx/public'],
    // `<dockerfile>.dockerignore` is a BuildKit (buildx) rule; the CLI's classic builder reads only .dockerignore.
    legacyCli: false,
    podman: 'Podman applies the context\'s .dockerignore again on its side, over the per-Dockerfile one',
  },
];

for (const item of cases) {
  test(`build context: ${item.name}`, async (t) => {
    if (item.podman) podmanDiffers(t, item.podman);
    const dockerfile = item.dockerfile ?? 'Dockerfile';
    const dir = context({ ...item.files, [dockerfile]: LIST_CONTEXT });
    chmodSync(join(dir, dockerfile), 0o640);
    symlinkSync('nowhere', join(dir, 'dangling-link'));
    const { output, result } = await build(dir, { dockerfile, nocache: true });
    assert.match(result.id ?? '', /^sha256:/);
    const ours = listing(output);
    const paths = ours.map((line) => line.split(' ')[0]);
    for (const path of item.absent) assert.ok(!paths.includes(path), `${path} should be left out:\n${ours.join('\n')}`);
    for (const path of item.present) assert.ok(paths.includes(path), `${path} should be sent:\n${ours.join('\n')}`);
    assert.ok(ours.includes('/ctx/dangling-link 777 symbolic link'), 'symlinks are sent as symlinks');

    if (item.legacyCli === false) return;
    const cli = await dockerCli();
    if (!cli) return t.skip('no docker CLI on this machine to compare with');
    const tag = uniqueName('cli-build');
    const run = await promisify(execFile)(cli, ['build', '--no-cache', '--label', `${TEST_LABEL}=${label}`, '-t', tag, '-f', join(dir, dockerfile), dir], {
      env: { ...process.env, DOCKER_HOST: testHost(), DOCKER_BUILDKIT: '0', DOCKER_CONFIG: join(dir, '.no-docker-config') },
      maxBuffer: 16 * 1024 * 1024,
    });
    images.push(tag);
    assert.deepEqual(ours, listing(run.stdout), 'the same files, modes and types as the docker CLI sends');
  });
}

test('build options: several tags, build args, labels, target stage; the image ID resolves', async () => {
  const dir = context({
    Dockerfile: `FROM ${TEST_IMAGE} AS first\nARG GREETING\nRUN echo "greeting=$GREETING"\nLABEL stage=first\nFROM first AS second\nRUN echo second-stage\nLABEL stage=second\n`,
  });
  const a = uniqueName('multi');
  const { output, result } = await build(dir, { t: [`${a}:one`, `${a}:two`], buildargs: { GREETING: 'hello berth' }, labels: { [TEST_LABEL]: label, extra: 'yes' }, target: 'first', nocache: true });
  assert.match(output, /greeting=hello berth/);
  assert.doesNotMatch(output, /second-stage/);
  const image = await docker.images.inspect(`${a}:one`);
  assert.equal(image.Id, result.id);
  assert.deepEqual([...image.RepoTags!].sort(), [`${a}:one`, `${a}:two`]);
  assert.equal(image.Config?.Labels?.stage, 'first');
  assert.equal(image.Config?.Labels?.extra, 'yes');
  images.push(`${a}:one`, `${a}:two`);
});

test('a failing RUN rejects with a StreamError carrying the builder message, iterated or awaited', async () => {
  const dir = context({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo before-failure && exit 3\n` });
  const operation = docker.images.build(dir, { labels: { [TEST_LABEL]: label } });
  let output = '';
  await assert.rejects(async () => { for await (const message of operation) output += message.stream ?? ''; }, (error: unknown) => {
    assert.ok(error instanceof StreamError);
    // dockerd: "The command … returned a non-zero code: 3"; Podman: "… while running runtime: exit status 3".
    assert.match(error.message, /returned a non-zero code: 3|exit status 3/);
    return true;
  });
  assert.match(output, /before-failure/, 'the lines before the error were delivered');
  await assert.rejects(async () => { await operation; }, StreamError);
  await assert.rejects(async () => { await docker.images.build(dir, { labels: { [TEST_LABEL]: label } }); }, /returned a non-zero code: 3|exit status 3/);
});

test('BuildKit without a session (version 2): builds and reports the image ID; failures are StreamErrors', async (t) => {
  const ping = await docker.ping();
  if (ping.libpodApiVersion) return t.skip('Podman has no BuildKit');
  const dir = context({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo buildkit > /made-by\n`, '.dockerignore': 'nothing\n' });
  const tag = uniqueName('buildkit');
  const { result, messages } = await build(dir, { version: '2', t: tag });
  images.push(tag);
  assert.equal((await docker.images.inspect(tag)).Id, result.id);
  assert.ok(messages.some((message) => message.id === 'moby.buildkit.trace'), 'BuildKit trace records are passed through');
  const failing = context({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN exit 4\n` });
  await assert.rejects(async () => { await docker.images.build(failing, { version: '2' }); }, (error: unknown) => error instanceof StreamError && /exit code: 4|non-zero code: 4/.test(error.message));
});

test('a context file that cannot be read fails the build with its path, not a hang', async () => {
  if (process.getuid?.() === 0) {
    // root reads everything: make an unreadable entry another way (a directory that vanishes is racy); use a FIFO-free check instead.
    const dir = context({ Dockerfile: `FROM ${TEST_IMAGE}\n` });
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    const { result } = await build(dir);
    assert.match(result.id ?? '', /^sha256:/, 'a symlink loop is sent as a symlink, not followed');
    return;
  }
  const dir = context({ Dockerfile: `FROM ${TEST_IMAGE}\n`, 'locked/file': 'x' });
  chmodSync(join(dir, 'locked'), 0o000);
  await assert.rejects(async () => { await docker.images.build(dir); }, /Cannot read locked in the build context: EACCES/);
  chmodSync(join(dir, 'locked'), 0o755);
});

/** The docker CLI on this machine, if any. */
async function dockerCli(): Promise<string | undefined> {
  for (const candidate of ['/usr/local/bin/docker', '/usr/bin/docker']) {
    try {
      await promisify(execFile)(candidate, ['--version']);
      return candidate;
    } catch { /* next */ }
  }
  return undefined;
}
