/**
 * `berth login` and `berth logout`: credentials checked by the engine (`POST /auth`) and stored the way the
 * Docker CLI stores them (a credential helper when config.json names one, else config.json's `auths`).
 */
import { DOCKER_HUB_AUTH_KEY, registryAuthKey, type RegistryAuth } from '../../src/index.js';
import { write, writeLine, type CliContext, type Command } from '../command.js';
import { CliError } from '../errors.js';

/** Reads all of stdin (for `--password-stdin`), without the trailing newline. */
async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal; with `hidden`, the typed text is not echoed. */
async function prompt(context: CliContext, question: string, hidden: boolean): Promise<string> {
  const { stdin } = context;
  await write(context.stdout, question);
  if (hidden) stdin.setRawMode?.(true);
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const done = (value: string) => { stdin.off('data', onData); stdin.pause(); resolve(value); };
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') return done(text);
          if (char === '\u0003') { stdin.off('data', onData); stdin.pause(); return reject(new CliError('', 130)); }
          if (char === '\u007f') text = text.slice(0, -1);
          else text += char;
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    if (hidden) {
      stdin.setRawMode?.(false);
      await writeLine(context.stdout, '');
    }
  }
}

/** `berth login [-u USER] [-p PASSWORD | --password-stdin] [SERVER]` */
export const login: Command = {
  usage: '[OPTIONS] [SERVER]',
  description: 'Log in to a registry',
  flags: [
    { name: 'password', short: 'p', type: 'string', description: 'Password' },
    { name: 'password-stdin', type: 'boolean', description: 'Take the password from stdin' },
    { name: 'username', short: 'u', type: 'string', description: 'Username' },
  ],
  maxArgs: 1,
  async run(context, args) {
    const server = args.positionals[0] ?? DOCKER_HUB_AUTH_KEY;
    let username = args.string('username')?.trim();
    let password = args.string('password');
    if (args.bool('password-stdin')) {
      if (password !== undefined) throw new CliError('--password and --password-stdin are mutually exclusive', 1);
      if (!username) throw new CliError('Must provide --username with --password-stdin', 1);
      password = await readAll(context.stdin);
    } else if (password !== undefined) {
      await writeLine(context.stderr, 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.');
    }
    if (!username || password === undefined) {
      if (!context.stdin.isTTY) throw new CliError('Error: Cannot perform an interactive login from a non TTY device', 1);
      if (!username) username = (await prompt(context, 'Username: ', false)).trim();
      if (password === undefined) password = await prompt(context, 'Password: ', true);
    }
    if (!username) throw new CliError('Error: Non-null Username Required', 1);
    if (!password) throw new CliError('Error: Password Required', 1);

    const docker = context.docker();
    const credentials: RegistryAuth = { username, password, serveraddress: server };
    const answer = await docker.system.auth(credentials);
    const store = docker.credentials;
    if (!store) throw new CliError('Error: no credential store to save the login in', 1);
    const saved: RegistryAuth = answer.IdentityToken
      ? { username, identitytoken: answer.IdentityToken, serveraddress: server }
      : credentials;
    await store.store(saved);
    if (!store.helperFor(server) && store.configPath) {
      await write(context.stderr, `WARNING! Your password will be stored unencrypted in ${store.configPath}.\n`
        + 'Configure a credential helper to remove this warning. See\n'
        + 'https://docs.docker.com/engine/reference/commandline/login/#credential-stores\n\n');
    }
    await writeLine(context.stdout, answer.Status || 'Login Succeeded');
    return 0;
  },
};

/** `berth logout [SERVER]` */
export const logout: Command = {
  usage: '[SERVER]',
  description: 'Log out from a registry',
  flags: [],
  maxArgs: 1,
  async run(context, args) {
    const server = args.positionals[0] ?? DOCKER_HUB_AUTH_KEY;
    const store = context.docker().credentials;
    const key = registryAuthKey(server);
    if (!store || !(await store.erase(server))) {
      await writeLine(context.stdout, `Not logged in to ${key}`);
      return 0;
    }
    await writeLine(context.stdout, `Removing login credentials for ${key}`);
    return 0;
  },
};
