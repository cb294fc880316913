import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternMatcher, parseDockerignore } from '../../src/index.js';
import { InvalidArgumentError } from '../../src/errors.js';

/** Which of `paths` the .dockerignore text excludes. */
function excluded(dockerignore: string, paths: string[]): string[] {
  const matcher = new PatternMatcher(parseDockerignore(dockerignore));
  return paths.filter((path) => matcher.matches(path));
}

test('the docker docs example: */temp*, */*/temp*, temp? and a comment', () => {
  const text = '# comment\n*/temp*\n*/*/temp*\ntemp?\n';
  assert.deepEqual(
    excluded(text, ['somedir/temporary.txt', 'somedir/temp', 'somedir/subdir/temporary.txt', 'tempa', 'tempb', 'temp', 'tempab', 'temporary.txt', 'a/b/c/temp']),
    ['somedir/temporary.txt', 'somedir/temp', 'somedir/subdir/temporary.txt', 'tempa', 'tempb'],
  );
});

test('the docker docs example: **/*.go excludes .go files in every directory, the root included', () => {
  assert.deepEqual(excluded('**/*.go', ['main.go', 'cmd/app/main.go', 'main.goo', 'docs/go.md']), ['main.go', 'cmd/app/main.go']);
});

test('the docker docs examples of exceptions: the last matching line decides', () => {
  const files = ['a.md', 'README.md', 'README-secret.md', 'README-x.md', 'docs/README.md'];
  assert.deepEqual(excluded('*.md\n!README.md\n', files), ['a.md', 'README-secret.md', 'README-x.md']);
  assert.deepEqual(excluded('*.md\n!README*.md\nREADME-secret.md\n', files), ['a.md', 'README-secret.md']);
  assert.deepEqual(excluded('*.md\nREADME-secret.md\n!README*.md\n', files), ['a.md']);
});

test('a pattern excludes what is under a matching directory, and * never crosses a slash', () => {
  assert.deepEqual(excluded('build\n*.log\n', ['build', 'build/out/a.o', 'builder', 'x.log', 'sub/x.log']), ['build', 'build/out/a.o', 'x.log']);
});

test('** in the middle and at the end, leading slash, ./ and trailing slash are cleaned', () => {
  assert.deepEqual(excluded('a/**/b\n', ['a/b', 'a/x/b', 'a/x/y/b', 'a/x/y/c', 'b']), ['a/b', 'a/x/b', 'a/x/y/b']);
  assert.deepEqual(excluded('dist/**\n', ['dist/a', 'dist/a/b', 'distx']), ['dist/a', 'dist/a/b']);
  assert.deepEqual(excluded('/secret\n', ['secret', 'sub/secret']), ['secret']);
  assert.deepEqual(excluded('./out//\n', ['out/x', 'out']), ['out/x', 'out']);
  assert.deepEqual(excluded('**\n!keep\n', ['a', 'b/c', 'keep']), ['a', 'b/c']);
});

test('character classes, negated classes, ? and escapes', () => {
  assert.deepEqual(excluded('file[0-2].txt\n', ['file0.txt', 'file2.txt', 'file3.txt']), ['file0.txt', 'file2.txt']);
  assert.deepEqual(excluded('file[^0].txt\n', ['file0.txt', 'file1.txt']), ['file1.txt']);
  assert.deepEqual(excluded('?.txt\n', ['a.txt', 'ab.txt']), ['a.txt']);
  assert.deepEqual(excluded('a\\*b\n', ['a*b', 'axb']), []); // an escape in an otherwise literal pattern compares literally, as in the CLI
  assert.deepEqual(excluded('x\\*.y*\n', ['x*.yz', 'xa.yz']), ['x*.yz']);
  assert.deepEqual(excluded('a.b\n', ['a.b', 'axb']), ['a.b']); // "." is not a wildcard
});

test('comments only at the start of a line, spaces trimmed, blank lines and a BOM ignored', () => {
  assert.deepEqual(parseDockerignore('\uFEFF# c\n  spaced  \n\n #notcomment\n! keep\n/abs/path/\n'), ['spaced', '#notcomment', '!keep', 'abs/path']);
});

test('bad patterns are rejected before anything is sent', () => {
  assert.throws(() => new PatternMatcher(['[a-']), InvalidArgumentError);
  assert.throws(() => new PatternMatcher(['abc[']), InvalidArgumentError);
  assert.throws(() => new PatternMatcher(['a\\']), InvalidArgumentError);
  assert.throws(() => new PatternMatcher(['!']), InvalidArgumentError);
});

test('parent results: a child of a matched directory is matched without re-testing', () => {
  const matcher = new PatternMatcher(['dir', '!dir/keep']);
  const parent = matcher.matchesUsingParentResults('dir', undefined);
  assert.equal(parent.matched, true);
  assert.equal(matcher.matchesUsingParentResults('dir/other', parent.info).matched, true);
  assert.equal(matcher.matchesUsingParentResults('dir/keep', parent.info).matched, false);
});
