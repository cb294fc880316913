import { InvalidArgumentError } from '../errors.js';

/** Docker Hub's registry, as image names imply it (`busybox` is `docker.io/library/busybox`). */
export const DOCKER_HUB_REGISTRY = 'docker.io';

/** The key the Docker CLI files Docker Hub's credentials under, in config.json and in credential helpers. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** An image reference split the way the engine and the Docker CLI read it. */
export interface ImageReference {
  /** The registry host (with port), `docker.io` when the name names none. */
  registry: string;
  /** The name without tag or digest, as written (`busybox`, `127.0.0.1:5000/team/app`). */
  repository: string;
  /** The tag, when the reference has one. */
  tag: string | undefined;
  /** The digest (`sha256:…`), when the reference has one. */
  digest: string | undefined;
}

/**
 * Splits an image reference into registry, repository, tag and digest. The first path component is a
 * registry when it has a `.` or a `:`, or is `localhost` (the rule the engine applies), so `team/app` is on
 * Docker Hub and `127.0.0.1:5000/app` is not.
 */
export function parseImageReference(reference: string): ImageReference {
  if (typeof reference !== 'string' || reference.trim() === '' || /\s/.test(reference)) {
    throw new InvalidArgumentError(`Invalid image reference ${JSON.stringify(reference)}`);
  }
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) {
      throw new InvalidArgumentError(`Invalid digest in image reference ${JSON.stringify(reference)}`);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new InvalidArgumentError(`Invalid tag in image reference ${JSON.stringify(reference)}`);
  }
  if (rest === '') throw new InvalidArgumentError(`Invalid image reference ${JSON.stringify(reference)}`);
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return { registry: hasRegistry ? first : DOCKER_HUB_REGISTRY, repository: rest, tag, digest };
}

/**
 * The key a registry's credentials are filed under: Docker Hub's historical URL for Docker Hub
 * (`docker.io`, `index.docker.io`, `registry-1.docker.io`), else the host (with port) itself.
 */
export function registryAuthKey(registry: string): string {
  const host = hostOf(registry);
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') return DOCKER_HUB_AUTH_KEY;
  return host;
}

/** `https://host:5000/v1/` → `host:5000`: how the Docker CLI compares config.json keys with a registry. */
export function hostOf(address: string): string {
  let host = address.trim();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = host.indexOf('/');
  return slash >= 0 ? host.slice(0, slash) : host;
}
