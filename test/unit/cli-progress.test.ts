import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ProgressPrinter, progressBar } from '../../cli/progress.js';
import type { ProgressMessage } from '../../src/index.js';

async function render(messages: ProgressMessage[], tty: boolean): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const printer = new ProgressPrinter(out as unknown as NodeJS.WriteStream, tty);
  for (const message of messages) await printer.show(message);
  return Buffer.concat(chunks).toString();
}

const PULL: ProgressMessage[] = [
  { status: 'Pulling from app', id: '1' },
  { status: 'Pulling fs layer', id: 'aaa' },
  { status: 'Pulling fs layer', id: 'bbb' },
  { status: 'Downloading', id: 'aaa', progressDetail: { current: 500, total: 1000 }, progress: '[=====>    ] 500B/1kB' },
  { status: 'Pull complete', id: 'aaa' },
  { status: 'Digest: sha256:abc' },
];

test('without a terminal: one line per event, no byte-count updates, no escape sequences', async () => {
  assert.equal(await render(PULL, false), '1: Pulling from app\naaa: Pulling fs layer\nbbb: Pulling fs layer\naaa: Pull complete\nDigest: sha256:abc\n');
});

test('on a terminal: a layer line is redrawn in place with its bar', async () => {
  const output = await render(PULL, true);
  // aaa is the second of three lines: two lines up, rewrite, two lines down.
  assert.ok(output.includes('\x1b[2A\x1b[2K\raaa: Downloading [=====>    ] 500B/1kB\x1b[2B\r'), JSON.stringify(output));
  assert.ok(output.includes('\x1b[2A\x1b[2K\raaa: Pull complete\x1b[2B\r'));
  assert.ok(output.endsWith('\x1b[2K\rDigest: sha256:abc\n'));
});

test('build output is written as it comes; a bar is drawn from counts when the engine sent none', async () => {
  assert.equal(await render([{ stream: 'Step 1/2 : FROM x\n' }, { stream: ' ---> abc\n' }], false), 'Step 1/2 : FROM x\n ---> abc\n');
  assert.equal(progressBar({ current: 1000, total: 4000 }), `[${'='.repeat(11)}>${' '.repeat(38)}] 1kB/4kB`);
  assert.equal(progressBar({ current: 10 }), '');
});

test('images: the reference filter as dockerd applies it (globs, with or without a tag)', async () => {
  const { matchesReference } = await import('../../cli/commands/images.js');
  const row = (Repository: string, Tag: string) => ({ Repository, Tag } as Parameters<typeof matchesReference>[0]);
  assert.equal(matchesReference(row('busybox', 'local'), 'busybox'), true);
  assert.equal(matchesReference(row('busybox', 'local'), 'berth-ptest'), false);
  assert.equal(matchesReference(row('team/app', 'v1'), 'team/*'), true);
  assert.equal(matchesReference(row('team/app', 'v1'), '*'), false);
  assert.equal(matchesReference(row('app', 'v1.2'), 'app:v1.*'), true);
  assert.equal(matchesReference(row('app', 'v2'), 'app:v1.*'), false);
  assert.equal(matchesReference(row('<none>', '<none>'), 'app'), true);
});
