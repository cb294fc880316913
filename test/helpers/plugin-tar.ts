/**
 * A plugin archive for the plugin tests: `config.json` and a `rootfs/` with busybox's `sh` and `sleep`
 * (no registry serves plugins here, so the tests build their own).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The tar `POST /plugins/create` takes; the plugin listens (or should) on `socket`. */
export function pluginTar(socket: string, description = 'Berth test plugin'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'berth-plugin-'));
  try {
    mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
    cpSync('/bin/busybox', join(dir, 'rootfs', 'bin', 'busybox'));
    for (const applet of ['sh', 'sleep']) symlinkSync('busybox', join(dir, 'rootfs', 'bin', applet));
    // dockerd 20.10 refuses to create a plugin whose rootfs blob is already in its store ("content … already
    // exists"), e.g. one pulled back by an earlier test: a file of its own makes every archive's rootfs unique.
    writeFileSync(join(dir, 'rootfs', 'berth-plugin-id'), randomUUID());
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      Description: description,
      Documentation: 'https://example.invalid/berth',
      // A PID 1 that ends on SIGTERM, so that disable does not wait for the kill timeout.
      Entrypoint: ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'],
      Interface: { Socket: socket, Types: ['docker.volumedriver/1.0'] },
      Network: { Type: 'none' },
      Env: [{ Name: 'DEBUG', Description: 'debug output', Settable: ['value'], Value: '0' }],
    }));
    return execFileSync('tar', ['-C', dir, '-cf', '-', 'config.json', 'rootfs'], { maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
