/**
 * Replaces every occurrence of each secret (and of the JSON string forms and base64 forms it could appear in)
 * by `***`. Used on any text that comes back from a helper or an engine while credentials are in play.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of formsOf(secret)) out = out.split(form).join('***');
  }
  return out;
}

function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1)]);
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  forms.add(base64.replace(/=+$/, ''));
  forms.add(base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  return [...forms].filter((form) => form.length >= 3);
}
