// A node:test reporter that writes one JSON line per finished test, for scripts/compatibility.mjs:
//   { file, path: [suite…, name], name, status: pass|fail|todo-pass|todo-fail|skip, reason?, error?, ms }
// Used next to the spec reporter: node --test --test-reporter=spec --test-reporter-destination=stdout
//   --test-reporter=./scripts/results-reporter.mjs --test-reporter-destination=FILE …
export default async function* resultsReporter(source) {
  // The names of the enclosing suites, by nesting level, from test:start (emitted in order).
  const stack = [];
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:start') {
      stack.length = data.nesting;
      stack.push(data.name);
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    // A suite's outcome is its tests', except a skipped suite: its tests never start, so it stands for them.
    if (data.details?.type === 'suite' && data.skip === undefined) continue;
    const path = [...stack.slice(0, data.nesting), data.name];
    let status = type === 'test:pass' ? 'pass' : 'fail';
    let reason;
    if (data.skip !== undefined) {
      status = 'skip';
      reason = typeof data.skip === 'string' ? data.skip : undefined;
    } else if (data.todo !== undefined) {
      status = `todo-${status}`;
      reason = typeof data.todo === 'string' ? data.todo : undefined;
    }
    const error = type === 'test:fail' ? errorText(data.details?.error) : undefined;
    yield `${JSON.stringify({ file: data.file, path, name: data.name, status, reason, error, ms: Math.round(data.details?.duration_ms ?? 0) })}\n`;
  }
}

/** The first line of what went wrong (node wraps the test's own error in a `cause`). */
function errorText(error) {
  if (!error) return undefined;
  const inner = error.cause instanceof Error || (error.cause && typeof error.cause === 'object') ? error.cause : error;
  const text = String(inner.message ?? inner).split('\n')[0];
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
