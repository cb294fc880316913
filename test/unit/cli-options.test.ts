/** How `run`/`create` flags become the container configuration, and how `ps` and `system df` compute their columns. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs } from '../../cli/args.js';
import { buildCreateRequest, CREATE_FLAGS, parseEnv, parseLabels, parseMemory, parsePublish, parseVolume } from '../../cli/commands/run-options.js';
import { containerRow, displayPorts } from '../../cli/commands/containers-list.js';
import { diskUsageRows } from '../../cli/commands/system.js';
import { splitCopyArgument } from '../../cli/commands/copy.js';
import { parseFilters } from '../../cli/commands/filters.js';

describe('run options', () => {
  test('-p forms', () => {
    assert.deepEqual(parsePublish('127.0.0.1::80'), [{ port: '80/tcp', hostIp: '127.0.0.1', hostPort: '' }]);
    assert.deepEqual(parsePublish('8080:80/udp'), [{ port: '80/udp', hostIp: '', hostPort: '8080' }]);
    assert.deepEqual(parsePublish('80'), [{ port: '80/tcp', hostIp: '', hostPort: '' }]);
    assert.deepEqual(parsePublish('[::1]:8080:80'), [{ port: '80/tcp', hostIp: '::1', hostPort: '8080' }]);
    assert.deepEqual(parsePublish('8000-8001:80-81').map((binding) => `${binding.hostPort}->${binding.port}`), ['8000->80/tcp', '8001->81/tcp']);
    assert.throws(() => parsePublish('abc'), /invalid port format/);
    assert.throws(() => parsePublish('80/xyz'), /invalid port format/);
    assert.throws(() => parsePublish('1:2:3:4'), /invalid port format/);
  });

  test('-v forms: anonymous volume, named volume, absolute and relative binds', () => {
    assert.deepEqual(parseVolume('/data'), { anonymous: true, target: '/data' });
    assert.deepEqual(parseVolume('vol:/data:ro'), { anonymous: false, bind: 'vol:/data:ro' });
    assert.deepEqual(parseVolume('/host:/data'), { anonymous: false, bind: '/host:/data' });
    assert.deepEqual(parseVolume('./here:/data'), { anonymous: false, bind: `${process.cwd()}/here:/data` });
    assert.throws(() => parseVolume('relative'), /invalid volume specification/);
  });

  test('-e takes NAME from the environment, and drops it when unset; -l without = is empty', () => {
    assert.deepEqual(parseEnv(['A=1', 'HOME_X', 'UNSET_Y'], { HOME_X: '/root' }), ['A=1', 'HOME_X=/root']);
    assert.deepEqual(parseLabels(['a=b', 'flag', 'k=v=w']), { a: 'b', flag: '', k: 'v=w' });
    assert.equal(parseMemory('512m'), 512 * 1024 * 1024);
    assert.equal(parseMemory('1g'), 1024 ** 3);
  });

  test('the whole request', () => {
    const args = parseArgs(
      ['--name', 'web', '-e', 'A=1', '-l', 'x=y', '-w', '/srv', '-u', 'nobody', '--entrypoint', '/bin/sh', '-p', '127.0.0.1::80', '-v', '/data', '-v', '/h:/c', '--network', 'host', '-it', '--restart', 'on-failure:3', 'img', '-c', 'echo'],
      CREATE_FLAGS, { interspersed: false },
    );
    const { body, name } = buildCreateRequest(args, {}, { attach: true, autoRemove: false });
    assert.equal(name, 'web');
    assert.equal(body.Image, 'img');
    assert.deepEqual(body.Cmd, ['-c', 'echo']);
    assert.deepEqual(body.Entrypoint, ['/bin/sh']);
    assert.deepEqual(body.Env, ['A=1']);
    assert.deepEqual(body.Labels, { x: 'y' });
    assert.equal(body.WorkingDir, '/srv');
    assert.equal(body.User, 'nobody');
    assert.equal(body.Tty, true);
    assert.equal(body.OpenStdin, true);
    assert.equal(body.AttachStdin, true);
    assert.deepEqual(body.ExposedPorts, { '80/tcp': {} });
    assert.deepEqual(body.Volumes, { '/data': {} });
    assert.deepEqual(body.HostConfig?.Binds, ['/h:/c']);
    assert.deepEqual(body.HostConfig?.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.equal(body.HostConfig?.NetworkMode, 'host');
    assert.deepEqual(body.HostConfig?.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.equal(body.HostConfig?.AutoRemove, false);
  });

  test('filters and cp arguments', () => {
    assert.deepEqual(parseFilters(['label=a=b', 'status=exited', 'label=c']), { label: ['a=b', 'c'], status: ['exited'] });
    assert.throws(() => parseFilters(['oops']), /bad format of filter/);
    assert.deepEqual(splitCopyArgument('web:/etc/passwd'), { container: 'web', path: '/etc/passwd' });
    assert.deepEqual(splitCopyArgument('/abs/with:colon'), { path: '/abs/with:colon' });
    assert.deepEqual(splitCopyArgument('./rel:colon'), { path: './rel:colon' });
    assert.deepEqual(splitCopyArgument('file.txt'), { path: 'file.txt' });
  });
});

describe('ps columns', () => {
  test('ports: published, exposed, ranges and IPv6 as the Docker CLI shows them', () => {
    assert.equal(displayPorts([]), '');
    assert.equal(displayPorts([
      { IP: '127.0.0.1', PrivatePort: 81, PublicPort: 18081, Type: 'udp' },
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 32768, Type: 'tcp' },
    ]), '127.0.0.1:32768->80/tcp, 127.0.0.1:18081->81/udp');
    assert.equal(displayPorts([{ PrivatePort: 80, Type: 'tcp' }, { PrivatePort: 81, Type: 'tcp' }, { PrivatePort: 82, Type: 'tcp' }, { PrivatePort: 90, Type: 'tcp' }]), '80-82/tcp, 90/tcp');
    assert.equal(displayPorts([{ IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }]), '[::]:8080->80/tcp');
    assert.equal(displayPorts([{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 80, Type: 'tcp' }, { IP: '0.0.0.0', PrivatePort: 81, PublicPort: 81, Type: 'tcp' }]), '0.0.0.0:80-81->80-81/tcp');
  });

  test('a row: truncated ID, quoted and cut command, names without slash, links hidden', () => {
    const row = containerRow({
      Id: 'a'.repeat(64), Names: ['/web', '/other/alias'], Image: 'busybox:local', ImageID: 'sha256:' + 'b'.repeat(64),
      Command: "sh -c 'echo out; echo err >&2'", Created: 1000, State: 'running', Status: 'Up 2 minutes',
      Labels: { z: '1', a: '2' }, Ports: [], Mounts: [{ Name: 'averyveryverylongvolumename', Driver: 'local' }],
      NetworkSettings: { Networks: { bridge: {}, app: {} } },
    }, true, 1000_000 + 125_000);
    assert.equal(row.ID, 'a'.repeat(12));
    assert.equal(row.Command, `"sh -c 'echo out; ec…"`);
    assert.equal(row.Names, 'web');
    assert.equal(row.RunningFor, '2 minutes ago');
    assert.equal(row.Labels, 'a=2,z=1');
    assert.equal(row.Mounts, 'averyveryveryl…');
    assert.equal(row.LocalVolumes, '1');
    assert.equal(row.Networks, 'app,bridge');
    assert.equal(row.Size, '0B');
    assert.equal(row.Label('z'), '1');
    assert.equal(row.Label('nope'), '');
    assert.ok(!JSON.stringify(row).includes('"Label"'), 'the method is not part of the JSON output');
    const untruncated = containerRow({ Id: 'a'.repeat(64), Names: ['/web', '/other/alias'], Image: 'sha256:' + 'b'.repeat(64), ImageID: 'sha256:' + 'b'.repeat(64) }, false);
    assert.equal(untruncated.Names, 'web,other/alias');
    assert.equal(containerRow({ Image: 'sha256:' + 'b'.repeat(64), ImageID: 'sha256:' + 'b'.repeat(64) }, true).Image, 'b'.repeat(12));
  });
});

describe('system df rows', () => {
  test('from the legacy answer of API 1.41 engines', () => {
    const rows = diskUsageRows({
      LayersSize: 1984240,
      Images: [{ Containers: 0, Size: 1984240, SharedSize: 0 }],
      Containers: [{ State: 'running', SizeRw: 100 }, { State: 'exited', SizeRw: 50 }],
      Volumes: [{ UsageData: { Size: 1000, RefCount: 0 } }],
      BuildCache: [{ InUse: false, Shared: false, Size: 6289 }],
    } as never);
    assert.deepEqual(rows.map((row) => [row.Type, row.TotalCount, row.Active, row.Size, row.Reclaimable]), [
      ['Images', '1', '0', '1.984MB', '1.984MB (100%)'],
      ['Containers', '2', '1', '150B', '50B (33%)'],
      ['Local Volumes', '1', '0', '1kB', '1kB (100%)'],
      ['Build Cache', '1', '0', '6.289kB', '6.289kB'],
    ]);
  });

  test('from the summary answer of newer engines', () => {
    const rows = diskUsageRows({ ImageUsage: { TotalCount: 2, ActiveCount: 1, TotalSize: 2000, Reclaimable: 1000 } });
    assert.deepEqual(rows[0], { Type: 'Images', TotalCount: '2', Active: '1', Size: '2kB', Reclaimable: '1kB (50%)' });
    assert.equal(rows[1]!.Size, '0B');
  });
});
