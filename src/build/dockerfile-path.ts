import { InvalidArgumentError } from '../errors.js';
import { cleanPath } from './pattern-matcher.js';

/**
 * Checks a Dockerfile path given relative to the context, and returns it cleaned. Its own module so that
 * `images.build()` can reject a bad path before any request without loading the context packer.
 */
export function contextDockerfile(dockerfile: string | undefined): string {
  const cleaned = cleanPath((dockerfile ?? 'Dockerfile').replace(/\\/g, '/'));
  if (cleaned === '.' || cleaned.startsWith('/') || cleaned === '..' || cleaned.startsWith('../')) {
    throw new InvalidArgumentError(`The Dockerfile must be a path inside the build context, got ${JSON.stringify(dockerfile)}`);
  }
  return cleaned;
}
