import type { AuthConfig } from '../generated/models.js';

/**
 * The `X-Registry-Auth` header value for registry credentials: the JSON of the credentials in base64url,
 * which is what dockerd decodes. Never logged and never put in an error message.
 */
export function registryAuthHeader(auth: AuthConfig | undefined): Record<string, string> {
  if (auth === undefined) return {};
  return { 'X-Registry-Auth': Buffer.from(JSON.stringify(auth), 'utf8').toString('base64url') };
}
