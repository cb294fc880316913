import { InvalidArgumentError } from '../errors.js';

/**
 * Where an engine listens, parsed from a host string such as `unix:///var/run/docker.sock`,
 * `tcp://127.0.0.1:2375`, `https://host:2376` or `ssh://user@host:22`.
 */
export type Endpoint =
  | { kind: 'unix'; socketPath: string; url: string }
  | { kind: 'npipe'; pipePath: string; url: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean; url: string }
  | { kind: 'ssh'; user: string | undefined; host: string; port: number | undefined; url: string };

/** The engine's usual socket on Linux and macOS. */
export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';

/**
 * Parses a Docker host string the way the Docker CLI does (`-H`, `DOCKER_HOST`).
 * `tcp://` without a port gets 2375, or 2376 when TLS is on; `http://` is plain TCP, `https://` is TLS.
 */
export function parseHost(host: string, options: { tls?: boolean } = {}): Endpoint {
  const trimmed = host.trim();
  const schemeEnd = trimmed.indexOf('://');
  if (schemeEnd <= 0) {
    throw new InvalidArgumentError(`Invalid Docker host "${host}": expected unix://, tcp://, http://, https://, ssh:// or npipe://`);
  }
  const scheme = trimmed.slice(0, schemeEnd).toLowerCase();
  const rest = trimmed.slice(schemeEnd + 3);
  switch (scheme) {
    case 'unix': {
      if (!rest) throw new InvalidArgumentError(`Invalid Docker host "${host}": missing socket path`);
      return { kind: 'unix', socketPath: rest, url: `unix://${rest}` };
    }
    case 'npipe': {
      const pipePath = rest.replace(/\//g, '\\');
      if (!pipePath) throw new InvalidArgumentError(`Invalid Docker host "${host}": missing pipe path`);
      return { kind: 'npipe', pipePath, url: `npipe://${rest}` };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const tls = scheme === 'https' || (scheme === 'tcp' && options.tls === true);
      const { hostname, port } = splitHostPort(rest.replace(/\/.*$/, ''), host);
      const resolvedPort = port ?? (tls ? 2376 : 2375);
      return { kind: 'tcp', host: hostname, port: resolvedPort, tls, url: `${scheme}://${formatHostPort(hostname, resolvedPort)}` };
    }
    case 'ssh': {
      const authority = rest.replace(/\/.*$/, '');
      const at = authority.lastIndexOf('@');
      const user = at >= 0 ? decodeURIComponent(authority.slice(0, at)) : undefined;
      const { hostname, port } = splitHostPort(authority.slice(at + 1), host);
      return { kind: 'ssh', user, host: hostname, port, url: `ssh://${authority}` };
    }
    default:
      throw new InvalidArgumentError(`Invalid Docker host "${host}": unsupported scheme "${scheme}"`);
  }
}

function splitHostPort(authority: string, original: string): { hostname: string; port: number | undefined } {
  let hostname = authority;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw new InvalidArgumentError(`Invalid Docker host "${original}": unclosed [`);
    hostname = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      hostname = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  if (!hostname) throw new InvalidArgumentError(`Invalid Docker host "${original}": missing host name`);
  // The host name becomes the Host header (tcp) or an ssh argument: a control character or a space there could
  // split the request head, and names no real host anyway.
  if (/[\s\x00-\x1f\x7f]/.test(hostname)) {
    throw new InvalidArgumentError(`Invalid Docker host ${JSON.stringify(original)}: the host name contains a space or a control character`);
  }
  if (portText === undefined || portText === '') return { hostname, port: undefined };
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new InvalidArgumentError(`Invalid Docker host "${original}": bad port "${portText}"`);
  }
  return { hostname, port };
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
