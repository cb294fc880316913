import { DockerError } from '../errors.js';
import { redact } from './redact.js';

/** What a credential helper's `get` answers. A `Username` of `<token>` means `Secret` is an identity token. */
export interface HelperCredentials {
  ServerURL?: string;
  Username: string;
  Secret: string;
}

/** Runs credential helpers: a seam so that tests and embedders can replace process spawning. */
export interface CredentialHelperRunner {
  /** Runs `docker-credential-<helper> <action>` with `input` on stdin; resolves with its stdout. */
  run(helper: string, action: 'get' | 'store' | 'erase' | 'list', input: string): Promise<string>;
}

/** The text helpers print when they have nothing for a server (docker-credential-helpers' `ErrCredentialsNotFound`). */
const NOT_FOUND = 'credentials not found in native keychain';

/** A helper failed. The message has the helper's name and its own error text, with every secret taken out. */
export class CredentialHelperError extends DockerError {
  /** The helper's name (`desktop`, `pass`, `osxkeychain` …). */
  readonly helper: string;

  constructor(helper: string, message: string) {
    super(message, 'CREDENTIAL_HELPER');
    this.helper = helper;
  }
}

/** Spawns `docker-credential-NAME` from the PATH it was given (read in a factory, never here from the environment). */
export class ProcessCredentialHelperRunner implements CredentialHelperRunner {
  readonly #env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  async run(helper: string, action: 'get' | 'store' | 'erase' | 'list', input: string): Promise<string> {
    if (!/^[A-Za-z0-9_.-]+$/.test(helper)) throw new CredentialHelperError(helper, `Invalid credential helper name ${JSON.stringify(helper)}`);
    const program = `docker-credential-${helper}`;
    // Loaded here, not at the top: most runs never start a helper (a one-shot `berth ps` saves the load).
    const { spawn } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      const child = spawn(program, [action], { env: this.#env, stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on('error', () => undefined); // a helper that exits without reading stdin
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(new CredentialHelperError(helper, error.code === 'ENOENT'
          ? `Credential helper ${program} was not found on the PATH (config.json names it)`
          : `Credential helper ${program} could not be started: ${error.code ?? 'error'}`));
      });
      child.on('close', (code) => {
        const out = Buffer.concat(stdout).toString('utf8');
        if (code === 0) return resolve(out);
        const text = (out.trim() || Buffer.concat(stderr).toString('utf8').trim()).slice(0, 500);
        // Never echo what we sent: `store` input holds the secret; redact it even if the helper echoed it.
        reject(new CredentialHelperError(helper, `${program} ${action} failed (exit ${code}): ${redact(text, [input])}`));
      });
      child.stdin.end(input);
    });
  }
}

/** True when a helper's error says it simply has no credentials for the server. */
export function isCredentialsNotFound(error: unknown): boolean {
  return error instanceof CredentialHelperError && error.message.includes(NOT_FOUND);
}
