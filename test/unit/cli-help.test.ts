/**
 * `berth --help`, `berth GROUP --help` and `berth COMMAND --help` for every command in the table: each lists what
 * it should, and every flag a command accepts appears in its help with a one-line description, as docker's help has.
 * No engine: help never connects.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commands, groups } from '../../cli/commands/index.js';
import { runCli } from '../helpers/cli.js';

/** Runs `berth ARGS…` with no engine anywhere, so a help that tried to connect would fail. */
const help = (args: string[]) => runCli(args, { noHost: true, env: { DOCKER_HOST: 'unix:///nonexistent/berth-help.sock' } });

describe('berth --help', () => {
  it('lists every top-level command and every management group with its summary', async () => {
    const { code, stdout } = await help(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^\nUsage: {2}berth \[OPTIONS\] COMMAND\n/);
    for (const entry of commands.filter((row) => !row.names[0]!.includes(' '))) {
      assert.match(stdout, new RegExp(`\\n  ${entry.names[0]} +${escape(entry.summary)}\\n`), entry.names[0]);
    }
    for (const [group, summary] of Object.entries(groups)) assert.match(stdout, new RegExp(`\\n  ${group} +${escape(summary)}\\n`), group);
    assert.match(stdout, /\n {2}-H, --host string +Daemon socket to connect to\n/);
  });

  it('each management group lists its commands', async () => {
    for (const group of Object.keys(groups)) {
      const { code, stdout } = await help([group, '--help']);
      assert.equal(code, 0, group);
      const members = commands.filter((entry) => entry.names.some((name) => name.startsWith(`${group} `)));
      assert.ok(members.length > 0, `${group} has commands`);
      for (const entry of members) {
        const name = entry.names.find((n) => n.startsWith(`${group} `))!.slice(group.length + 1);
        assert.match(stdout, new RegExp(`\\n  ${escape(name)} +${escape(entry.summary)}\\n`), `${group} ${name}`);
      }
    }
  });
});

describe('berth COMMAND --help', () => {
  for (const entry of commands) {
    const name = entry.names[0]!;
    it(`${name}: usage, description, and every flag with a one-line description`, async () => {
      const command = await entry.load();
      assert.ok(command.description.trim() && !command.description.includes('\n'), 'a one-line description');
      const { code, stdout, stderr } = await help([...name.split(' '), '--help']);
      assert.equal(stderr, '');
      assert.equal(code, 0);
      assert.ok(stdout.includes(`\nUsage:  berth ${name} ${command.usage}\n\n${command.description}\n`), stdout);
      for (const flag of command.flags.filter((f) => f.name !== 'help')) {
        assert.ok(flag.description.trim() && !flag.description.includes('\n'), `--${flag.name} has a one-line description`);
        const names = `${flag.short ? `-${flag.short}, ` : ' {4}'}--${escape(flag.name)}`;
        assert.match(stdout, new RegExp(`\\n  ${names}( \\S+)? +${escape(flag.description)}`), `--${flag.name} is listed`);
      }
      // -h is help unless the command has a -h of its own (run -h HOSTNAME, as in docker).
      const short = await help([...name.split(' '), command.flags.some((f) => f.short === 'h') ? '--help' : '-h']);
      assert.equal(short.stdout, stdout);
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
