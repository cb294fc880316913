/**
 * The SSH fixtures scripts/remote-engines.sh made: an sshd on 127.0.0.1:2222 in front of the test engine, and a
 * client ssh_config with host aliases, so that tests never touch ~/.ssh.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshOptions } from '../../src/index.js';

/** Where scripts/remote-engines.sh put the SSH keys and configuration. */
export const SSH_DIR = process.env.BERTH_SSH_DIR ?? '/tmp/berth-ssh';

/** Client options that use the test ssh_config (host aliases `berth-ssh-test`, `berth-ssh-wrong-key`, …). */
export const TEST_SSH: SshOptions = { configFile: join(SSH_DIR, 'ssh_config') };

/** A PATH whose `ssh` adds `-F ssh_config`, for programs that run ssh themselves (the berth and docker CLIs). */
export function pathWithTestSsh(): string {
  return `${join(SSH_DIR, 'bin')}:${process.env.PATH ?? ''}`;
}

/** PIDs of the live `ssh` processes whose parent is `parent` (default: this process). */
export function sshChildren(parent = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid …": comm may contain spaces, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (comm === 'ssh' && state !== 'Z' && Number(ppid) === parent) pids.push(Number(entry));
  }
  return pids;
}
