/** The CLI's human formats, table layout and template subset, checked against what the Docker CLI prints. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bytesSize, goJson, humanDuration, humanSize, parseGoDuration, parseTimestamp, timeAgo } from '../../cli/format.js';
import { ellipsis, formatTable } from '../../cli/table.js';
import { compileTemplate } from '../../cli/template.js';
import { UsageError } from '../../cli/args.js';

describe('humanDuration', () => {
  test('matches go-units at every boundary', () => {
    const s = 1000;
    const cases: Array<[number, string]> = [
      [0, 'Less than a second'], [999, 'Less than a second'], [1 * s, '1 second'], [59 * s, '59 seconds'],
      [60 * s, 'About a minute'], [119 * s, 'About a minute'], [120 * s, '2 minutes'], [59 * 60 * s, '59 minutes'],
      [60 * 60 * s, 'About an hour'], [89 * 60 * s, 'About an hour'], [90 * 60 * s, '2 hours'], [47 * 3600 * s, '47 hours'],
      [48 * 3600 * s, '2 days'], [13 * 86400 * s, '13 days'], [14 * 86400 * s, '2 weeks'], [59 * 86400 * s, '8 weeks'],
      [60 * 86400 * s, '2 months'], [729 * 86400 * s, '24 months'], [730 * 86400 * s, '2 years'],
    ];
    for (const [milliseconds, text] of cases) assert.equal(humanDuration(milliseconds), text, `${milliseconds} ms`);
  });

  test('timeAgo counts from a Unix time', () => {
    assert.equal(timeAgo(1000, 1000_000 + 120_000), '2 minutes ago');
  });
});

describe('sizes', () => {
  test('decimal units with 4 significant digits, as docker system df', () => {
    assert.equal(humanSize(0), '0B');
    assert.equal(humanSize(999), '999B');
    assert.equal(humanSize(1000), '1kB');
    assert.equal(humanSize(1984240), '1.984MB');
    assert.equal(humanSize(6289), '6.289kB');
    assert.equal(humanSize(1984240, 3), '1.98MB');
    assert.equal(humanSize(2.5e12), '2.5TB');
  });

  test('binary units, as docker info\'s Total Memory', () => {
    assert.equal(bytesSize(25276514304), '23.54GiB');
    assert.equal(bytesSize(1024), '1KiB');
  });
});

describe('timestamps and durations', () => {
  test('Go durations', () => {
    assert.equal(parseGoDuration('10m'), 600_000);
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.equal(parseGoDuration('300ms'), 300);
    assert.equal(parseGoDuration('10'), undefined);
    assert.equal(parseGoDuration('soon'), undefined);
  });

  test('--since accepts durations, Unix seconds and RFC 3339', () => {
    const now = Date.UTC(2024, 0, 2, 12, 0, 0);
    assert.equal(parseTimestamp('10m', now), now / 1000 - 600);
    assert.equal(parseTimestamp('1700000000', now), 1700000000);
    assert.equal(parseTimestamp('1700000000.5', now), 1700000000.5);
    assert.equal(parseTimestamp('2024-01-02T15:04:05Z', now), Date.UTC(2024, 0, 2, 15, 4, 5) / 1000);
    assert.equal(parseTimestamp('2024-01-02T15:04:05+01:00', now), Date.UTC(2024, 0, 2, 14, 4, 5) / 1000);
    assert.equal(parseTimestamp('next tuesday', now), undefined);
  });

  test('goJson escapes like Go\'s encoder', () => {
    assert.equal(goJson({ Ports: '1->2 <&>' }), '{"Ports":"1-\\u003e2 \\u003c\\u0026\\u003e"}');
  });
});

describe('formatTable', () => {
  test('pads every column but the last to its widest cell plus 3, at least 10', () => {
    const text = formatTable([['CONTAINER ID', 'IMAGE', 'NAMES'], ['abc', 'busybox:local', 'x']]);
    assert.equal(text, 'CONTAINER ID   IMAGE           NAMES\nabc            busybox:local   x\n');
    assert.equal(formatTable([['A', 'B', 'C']]), 'A         B         C\n');
  });

  test('counts characters, not bytes, and honours a minimum width of 20 (top)', () => {
    assert.equal(formatTable([['"ab…"', 'x'], ['y', 'z']], { minWidth: 0 }), '"ab…"   x\ny       z\n');
    assert.equal(formatTable([['UID', 'PID']], { minWidth: 20 }), `UID${' '.repeat(17)}PID\n`);
  });

  test('ellipsis cuts to the width with …', () => {
    assert.equal(ellipsis("echo 'hello world with a very long'", 20), "echo 'hello world w…");
    assert.equal(ellipsis('short', 20), 'short');
  });
});

describe('compileTemplate', () => {
  const data = {
    Id: 'abc', State: { Status: 'running', Running: true, Pid: 42 }, Config: { Cmd: ['sh', '-c', 'x y'], Labels: { 'a.b': 'c' }, Env: null },
  };

  test('fields, nested fields, json, index, join, upper and escapes', () => {
    assert.equal(compileTemplate('{{.State.Status}} {{.Id}}')(data), 'running abc');
    assert.equal(compileTemplate('{{json .Config.Labels}}')(data), '{"a.b":"c"}');
    assert.equal(compileTemplate('{{index .Config.Labels "a.b"}}')(data), 'c');
    assert.equal(compileTemplate('{{join .Config.Cmd ","}}|{{.Id | upper}}')(data), 'sh,-c,x y|ABC');
    assert.equal(compileTemplate('{{.State.Pid}}\\t{{.State.Running}}')(data), '42\ttrue');
  });

  test('values print as Go prints them', () => {
    assert.equal(compileTemplate('{{.Config.Cmd}}')(data), '[sh -c x y]');
    assert.equal(compileTemplate('{{.Config.Labels}}')(data), 'map[a.b:c]');
    assert.equal(compileTemplate('{{.Config.Env}}')(data), '<nil>');
    assert.equal(compileTemplate('{{.Nope}}')(data), '<no value>');
    assert.equal(compileTemplate('{{json .}}')({ a: 1 }), '{"a":1}');
  });

  test('unsupported actions and unknown functions are usage errors', () => {
    assert.throws(() => compileTemplate('{{range .X}}{{end}}'), UsageError);
    assert.throws(() => compileTemplate('{{frob .X}}')(data), /function "frob" not defined/);
  });
});
