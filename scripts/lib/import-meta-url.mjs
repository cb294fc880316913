// Injected into the CommonJS bundle of the `berth` command (scripts/bundle-cli.mjs) in place of
// `import.meta.url`, which CommonJS has no form of: the URL of the bundle file itself.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
