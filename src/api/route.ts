import { InvalidArgumentError } from '../errors.js';

/**
 * Builds a request path from a template, encoding every parameter as one path segment.
 *
 * ```ts
 * route`/containers/${id}/json`   // id "a/b?c" becomes "/containers/a%2Fb%3Fc/json"
 * ```
 *
 * Empty, `.` and `..` parameters are rejected before any request: dockerd answers a path with dot
 * segments (even percent-encoded) with a redirect to the cleaned path, which would reach another
 * endpoint than the caller meant.
 */
export function route(strings: TemplateStringsArray, ...parameters: string[]): string {
  let path = strings[0]!;
  for (let i = 0; i < parameters.length; i++) {
    path += encodePathParameter(parameters[i]!) + strings[i + 1]!;
  }
  return path;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Encodes one path parameter (an ID or a name), rejecting values that cannot name anything. */
export function encodePathParameter(value: string): string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`Expected an ID or name as a string, got ${value === null ? 'null' : typeof value}`);
  }
  if (value === '' || value === '.' || value === '..') {
    throw new InvalidArgumentError(`Invalid ID or name ${JSON.stringify(value)}`);
  }
  // Dot segments hidden inside an encoded value ("a/../info") are cleaned by the engine after decoding.
  if (value.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new InvalidArgumentError(`Invalid ID or name ${JSON.stringify(value)}: it contains a "." or ".." segment`);
  }
  if (LONE_SURROGATE.test(value)) {
    // A lone surrogate has no UTF-8 form: encodeURIComponent would throw a bare URIError.
    throw new InvalidArgumentError(`Invalid ID or name ${JSON.stringify(value)}: it is not well-formed Unicode`);
  }
  return encodeURIComponent(value);
}
