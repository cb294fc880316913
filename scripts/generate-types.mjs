#!/usr/bin/env node
// Generates src/generated/{models,operations,index}.ts from the Docker Engine API swagger specs in
// ../shared/docker-api/ (the newest spec gives the types; operations.tsv gives what the spec does not say:
// the version each operation appeared in, and how its response is really framed on the wire).
//
//   node scripts/generate-types.mjs           write the files
//   node scripts/generate-types.mjs --check   exit 1 if the committed files differ from what would be written
//
// The output must be byte-for-byte reproducible: everything is emitted in the order the spec lists it
// (definitions, properties, paths, methods, parameters), and the only sorting is of import names, by code unit.

import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const specDir = join(repoRoot, '..', 'shared', 'docker-api');
const outDir = join(repoRoot, 'src', 'generated');

// A few schemas carry no JSON schema at all, only a Go type name (`x-go-type: {type: Summary}`), because
// the Go structs are hand-written. The Go name is not enough to find the definition (three packages have a
// `Summary`), so the mapping is spelled out here. Keys are the locations the generator reports.
const GO_TYPE_ONLY_SCHEMAS = new Map([
  ['ImagesDiskUsage.Items[]', 'ImageSummary'],
  ['VolumesDiskUsage.Items[]', 'Volume'],
  ['NetworkInspect.Services{}', 'ServiceInfo'],
  ['BuildCacheDiskUsage.Items[]', 'BuildCache'],
  ['ContainersDiskUsage.Items[]', 'ContainerSummary'],
]);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

// ---------------------------------------------------------------------------------------------------------
// Reading the inputs

/** The spec files present, oldest first, as `{ version: '1.41', file }`. */
function listSpecVersions() {
  const versions = [];
  for (const file of readdirSync(specDir)) {
    const match = /^v(\d+)\.(\d+)\.yaml$/.exec(file);
    if (match) versions.push({ version: `${match[1]}.${match[2]}`, major: +match[1], minor: +match[2], file });
  }
  if (versions.length === 0) throw new Error(`no v*.yaml specs in ${specDir}`);
  return versions.sort((a, b) => a.major - b.major || a.minor - b.minor);
}

function readSpec(file) {
  return parse(readFileSync(join(specDir, file), 'utf8'));
}

/** operations.tsv as `Map(operationId -> row object keyed by column name)`. */
function readOperationsTable() {
  const [header, ...rows] = readFileSync(join(specDir, 'operations.tsv'), 'utf8').split('\n').filter((line) => line !== '');
  const columns = header.split('\t');
  const table = new Map();
  for (const row of rows) {
    const cells = row.split('\t');
    table.set(cells[0], Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ''])));
  }
  return table;
}

/** Every operation of the spec, in spec order, with the parts the generator needs. */
function collectOperations(spec) {
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    if (item.parameters) throw new Error(`path-level parameters on ${path} are not supported`);
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        tag: operation.tags?.[0] ?? '',
        query: parameters.filter((p) => p.in === 'query'),
        pathParams: parameters.filter((p) => p.in === 'path'),
        body: parameters.find((p) => p.in === 'body'),
        responses: operation.responses ?? {},
      });
    }
  }
  return operations;
}

/** The spec and operations.tsv must describe the same operations; a mismatch means one of them is stale. */
function checkAgainstTable(operations, table) {
  const problems = [];
  for (const op of operations) {
    const row = table.get(op.id);
    if (!row) problems.push(`${op.id} is in the spec but not in operations.tsv`);
    else if (row.method !== op.method || row.path !== op.path || row.tag !== op.tag) {
      problems.push(`${op.id}: spec says ${op.method} ${op.path} [${op.tag}], operations.tsv says ${row.method} ${row.path} [${row.tag}]`);
    }
  }
  const inSpec = new Set(operations.map((op) => op.id));
  for (const id of table.keys()) if (!inSpec.has(id)) problems.push(`${id} is in operations.tsv but not in the spec`);
  if (problems.length > 0) throw new Error(`spec and operations.tsv disagree:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------------------
// Rendering schemas as TypeScript types

/** State while rendering one output file: which definitions it referenced (for its imports). */
class RenderContext {
  constructor(definitions, usedGoTypeHints) {
    this.definitions = definitions;
    this.referenced = new Set();
    this.usedGoTypeHints = usedGoTypeHints; // shared by all files, to find stale GO_TYPE_ONLY_SCHEMAS entries
  }
}

function quoteString(value) {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function propertyKey(name) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quoteString(name);
}

/** A TSDoc block for `text` (and extra tag lines), indented; '' when there is nothing to say. */
function docComment(text, indent, tags = []) {
  const lines = (typeof text === 'string' ? text.trim() : '')
    .split('\n')
    .map((line) => line.trimEnd().replaceAll('*/', '*\\/').replace(/^(\s*)@/, '$1\\@'));
  if (lines.length === 1 && lines[0] === '') lines.pop();
  if (lines.length > 0 && tags.length > 0) lines.push('');
  lines.push(...tags);
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => (line === '' ? `${indent} *\n` : `${indent} * ${line}\n`)).join('')}${indent} */\n`;
}

/** `@defaultValue` for a schema or parameter that states one. */
function defaultTags(schema) {
  return schema.default === undefined ? [] : [`@defaultValue ${JSON.stringify(schema.default)}`];
}

/**
 * Enums stay open: engines add values (Podman reports a container state `stopping`), and a closed union
 * would make such an answer a type error in the caller's code. `(string & {})` keeps editor completion of
 * the known values while accepting any string.
 */
function renderOpenEnum(values, type) {
  if (values.every((value) => typeof value === 'object' && value !== null && Object.keys(value).length === 0)) {
    // `enum: [{}]` (ExposedPorts, Volumes): the value is always an empty object.
    return 'Record<string, never>';
  }
  const literals = values.map((value) => (typeof value === 'string' ? quoteString(value) : JSON.stringify(value)));
  const open = type === 'integer' || type === 'number' ? '(number & {})' : '(string & {})';
  return [...literals, open].join(' | ');
}

/** True when a rendered type needs parentheses before `[]` or inside `&`. */
function isCompound(type) {
  return /[|&]/.test(type) && !/^\{[\s\S]*\}$/.test(type);
}

function arrayOf(itemType) {
  return isCompound(itemType) || itemType.includes('\n') ? `Array<${itemType}>` : `${itemType}[]`;
}

function refName(ref, context) {
  const name = ref.replace(/^#\/definitions\//, '');
  if (name === ref || !(name in context.definitions)) throw new Error(`unresolvable $ref ${ref}`);
  context.referenced.add(name);
  return name;
}

function hasObjectShape(schema) {
  return schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined || schema.allOf !== undefined;
}

/**
 * The TypeScript type for a schema, without `| null` (see renderType). `location` names the schema for
 * error messages and for GO_TYPE_ONLY_SCHEMAS; `indent` is the indentation of the line the type starts on.
 */
function renderBareType(schema, location, indent, context) {
  if (schema.$ref) return refName(schema.$ref, context);
  if (schema.enum) return renderOpenEnum(schema.enum, schema.type);
  if (hasObjectShape(schema)) return renderObjectType(schema, location, indent, context);
  switch (schema.type) {
    case 'array':
      return schema.items ? arrayOf(renderType(schema.items, `${location}[]`, indent, context)) : 'unknown[]';
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number'; // int64 too: the engine's values fit in a double in practice, and JSON.parse gives numbers
    case 'boolean':
      return 'boolean';
    case undefined:
      if (schema['x-go-type']) {
        const name = GO_TYPE_ONLY_SCHEMAS.get(location);
        if (!name) throw new Error(`${location} has only x-go-type ${JSON.stringify(schema['x-go-type'])}; add it to GO_TYPE_ONLY_SCHEMAS`);
        context.usedGoTypeHints.add(location);
        return refName(`#/definitions/${name}`, context);
      }
      return 'unknown';
    default:
      throw new Error(`${location}: unsupported type ${JSON.stringify(schema.type)}`);
  }
}

/** A schema's type, with `| null` when the spec marks it `x-nullable` at this place. */
function renderType(schema, location, indent, context) {
  const type = renderBareType(schema, location, indent, context);
  return schema['x-nullable'] === true ? `${type} | null` : type;
}

/** The `{ ... }` members of an object schema's own properties, one per line, each with its TSDoc. */
function renderMembers(schema, location, indent, context) {
  const required = new Set(schema.required ?? []);
  let out = '';
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const tags = defaultTags(property);
    out += docComment(property.description, indent, tags);
    const optional = required.has(name) ? '' : '?';
    out += `${indent}${propertyKey(name)}${optional}: ${renderType(property, `${location}.${name}`, indent, context)};\n`;
  }
  return out;
}

/** allOf → intersection; properties → object literal; additionalProperties → Record. */
function renderObjectType(schema, location, indent, context) {
  const parts = [];
  for (const [i, member] of (schema.allOf ?? []).entries()) {
    if (isEmptyObject(member)) continue; // `allOf: [Spec, {type: object}]` adds nothing
    const type = renderType(member, `${location}&${i}`, indent, context);
    parts.push(isCompound(type) ? `(${type})` : type);
  }
  if (schema.properties && Object.keys(schema.properties).length > 0) {
    parts.push(`{\n${renderMembers(schema, location, `${indent}  `, context)}${indent}}`);
  }
  const extra = schema.additionalProperties;
  if (extra === true || (typeof extra === 'object' && Object.keys(extra).length === 0)) {
    parts.push('Record<string, unknown>');
  } else if (typeof extra === 'object') {
    parts.push(`Record<string, ${renderType(extra, `${location}{}`, indent, context)}>`);
  }
  if (parts.length === 0) return 'Record<string, unknown>'; // a bare `type: object`: any JSON object
  return parts.join(' & ');
}

function isEmptyObject(schema) {
  return Object.keys(schema).every((key) => key === 'type' || key === 'description') && (schema.type ?? 'object') === 'object';
}

// ---------------------------------------------------------------------------------------------------------
// models.ts

function fileHeader(version, purpose) {
  return (
    `// Generated by scripts/generate-types.mjs from the Docker Engine API spec v${version}\n` +
    '// (Apache-2.0, moby/moby). Do not edit: change the generator and run `npm run generate`.\n' +
    `//\n// ${purpose}\n`
  );
}

function renderModels(spec, version, context) {
  let out = fileHeader(version, 'One type per entry of `definitions:`, named and spelled as the spec spells them.');
  for (const [name, schema] of Object.entries(spec.definitions)) {
    // Some definitions have no description in the spec; every exported type gets one line all the same.
    out += '\n' + docComment(schema.description ?? `The \`${name}\` definition of the Engine API spec.`, '');
    // A plain object becomes an interface (named in editor hovers and errors); anything else a type alias.
    // A definition's own `x-nullable` is not applied: it says Go keeps it behind a pointer, and a
    // TypeScript type cannot be "nullable wherever it is used"; use sites that may be null say so themselves.
    const isPlainObject = schema.properties && !schema.allOf && schema.additionalProperties === undefined && !schema.enum;
    if (isPlainObject) {
      out += `export interface ${name} {\n${renderMembers(schema, name, '  ', context)}}\n`;
    } else {
      out += `export type ${name} = ${renderBareType(schema, name, '', context)};\n`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// operations.ts

/** A query or path parameter's type. Parameters are not schemas in swagger 2, but share their shape. */
function renderParameterType(parameter, context) {
  // The spec types `filters` as a JSON-encoded string; callers pass the object and request() encodes it.
  if (parameter.name === 'filters') return 'Filters';
  return renderType(parameter, `${parameter.name}`, '  ', context);
}

/** `export interface XQuery {...}`, or `Record<string, never>` when there are none, so `{}` is the only value. */
function renderParameterInterface(name, parameters, description, context) {
  let out = docComment(description, '');
  if (parameters.length === 0) return `${out}export type ${name} = Record<string, never>;\n`;
  out += `export interface ${name} {\n`;
  for (const parameter of parameters) {
    out += docComment(parameter.description, '  ', defaultTags(parameter));
    const optional = parameter.required === true ? '' : '?';
    out += `  ${propertyKey(parameter.name)}${optional}: ${renderParameterType(parameter, context)};\n`;
  }
  return `${out}}\n`;
}

/** A body that is bytes (a tar, a text string) is not a JSON value: request() sends it as it is (BinaryBody). */
function isBinaryBody(schema) {
  return schema.type === 'string';
}

function renderBodyType(op, row, context) {
  const requestBody = normalizeRequestBody(row.request_body);
  if (!op.body) {
    if (requestBody !== 'none') throw new Error(`${op.id}: operations.tsv says body ${requestBody}, the spec has none`);
    return 'undefined';
  }
  const binary = isBinaryBody(op.body.schema);
  if (binary === (requestBody === 'json')) throw new Error(`${op.id}: operations.tsv says body ${requestBody}, the spec says ${JSON.stringify(op.body.schema)}`);
  return binary ? 'BinaryBody' : renderType(op.body.schema, `${op.id}.body`, '', context);
}

/** operations.tsv notes details in parentheses, e.g. `optional-binary(tar when fromSrc=-)`; keep the kind. */
function normalizeRequestBody(value) {
  return value.replace(/\(.*\)$/, '');
}

/** The success schema: the first of 200 and 201 that has one. */
function successSchema(op) {
  return op.responses['200']?.schema ?? op.responses['201']?.schema;
}

/** The response type follows how the body is framed (operations.tsv), then what the spec says it holds. */
function renderResponseType(op, row, context) {
  const schema = successSchema(op);
  switch (row.response_kind) {
    case 'empty':
      return 'void';
    case 'json':
      return schema ? renderType(schema, `${op.id}.response`, '', context) : 'void';
    case 'text':
      return schema ? renderType(schema, `${op.id}.response`, '', context) : 'string';
    case 'json-stream':
      // The type of one message of the stream, when the spec names it (events, stats).
      return schema ? renderType(schema, `${op.id}.response`, '', context) : 'unknown';
    case 'tar':
    case 'raw-stream':
    case 'hijack':
      return 'unknown'; // bytes: request() hands them to a stream decoder
    default:
      throw new Error(`${op.id}: unknown response_kind ${row.response_kind}`);
  }
}

function checkPathParameters(op) {
  const inTemplate = [...op.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const declared = op.pathParams.map((p) => p.name);
  if (inTemplate.join() !== declared.join()) throw new Error(`${op.id}: path ${op.path} but path parameters ${declared.join()}`);
  for (const p of op.pathParams) if (p.type !== 'string') throw new Error(`${op.id}: path parameter ${p.name} is ${p.type}`);
}

function renderOperations(operations, table, versions, context, queryNames) {
  const latest = versions.at(-1).version;
  const blocks = [];

  for (const op of operations) {
    const row = table.get(op.id);
    checkPathParameters(op);
    let block = `\n// ${op.id}: ${op.method} ${op.path}\n\n`;
    block += renderParameterInterface(`${op.id}Query`, op.query, `Query parameters of {@link OperationMap.${op.id}}.`, context);
    block += `\n/** Request body of {@link OperationMap.${op.id}}. */\nexport type ${op.id}Body = ${renderBodyType(op, row, context)};\n`;
    block += renderResponseDeclaration(op, row, context);
    block += '\n' + renderParameterInterface(`${op.id}PathParams`, op.pathParams, `Path parameters of {@link OperationMap.${op.id}}.`, context);
    blocks.push(block);
  }

  let out = fileHeader(latest, 'Per-operation query, body, response and path types, the operation map, and the runtime table.');
  const imports = [...context.referenced].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  out += '\n';
  if (imports.length > 0) out += `import type {\n${imports.map((name) => `  ${name},\n`).join('')}} from './models.js';\n\n`;
  out += renderPreamble(versions);
  out += blocks.join('');
  out += renderOperationMap(operations);
  out += renderRuntimeTable(operations, table, queryNames);
  out += renderRouteMap(operations);
  return out;
}

/**
 * `export type XResponse = ...`. Ten operations answer with a definition that already has that very name
 * (ContainerWait → ContainerWaitResponse); declaring it again would clash, so the imported one is re-exported.
 */
function renderResponseDeclaration(op, row, context) {
  const name = `${op.id}Response`;
  const type = renderResponseType(op, row, context);
  if (name in context.definitions) {
    if (type !== name) throw new Error(`${name} is both a definition and ${op.id}'s response type ${type}`);
    return `\n// Response of {@link OperationMap.${op.id}}: the definition of the same name, imported above.\nexport type { ${name} };\n`;
  }
  return `\n/** Response of {@link OperationMap.${op.id}}. */\nexport type ${name} = ${type};\n`;
}

function renderPreamble(versions) {
  return (
    `/** The newest Engine API version whose spec Berth's types come from. */\n` +
    `export const LATEST_API_VERSION = '${versions.at(-1).version}';\n\n` +
    `/** The oldest Engine API version Berth ships a spec for (Docker 20.10). */\n` +
    `export const OLDEST_API_VERSION = '${versions[0].version}';\n\n` +
    docComment(
      'Filters as a plain object; request() sends them as JSON, which is what the engine expects in `?filters=`.\n' +
        'A value is a list of strings, or (the older form, still accepted) an object whose keys are the values.',
      '',
      ["@example `{ label: ['app=web'], status: ['running'] }`"],
    ) +
    'export type Filters = Record<string, string[] | Record<string, boolean>>;\n\n' +
    '/** A request body of bytes (a tar): all at once, or as a stream read with back-pressure. */\n' +
    'export type BinaryBody = Uint8Array | AsyncIterable<Uint8Array>;\n\n' +
    '/** What the runtime table says about one operation. */\n' +
    'export interface OperationInfo {\n' +
    "  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';\n" +
    '  /** The path template, e.g. `/containers/{id}/json`, without the `/v1.NN` prefix. */\n' +
    '  path: string;\n' +
    '  /** The API group (spec tag): `Container`, `Image`, `System`... */\n' +
    '  tag: string;\n' +
    '  /** The API version the operation appeared in; `1.25` means "1.25 or earlier". */\n' +
    '  since: string;\n' +
    '  /** How the success body is framed: `json`, `empty`, `text`, `json-stream`, `raw-stream`, `tar`, `hijack`. */\n' +
    '  responseKind: string;\n' +
    '  /** What the request body is: `none`, `json`, `tar`, or `optional-binary` (a tar only for some queries). */\n' +
    '  requestBody: string;\n' +
    '  deprecated: boolean;\n' +
    '  /** The query parameter names any spec version (1.41 to the newest) gives it: others are refused before sending. */\n' +
    '  query: readonly string[];\n' +
    '}\n'
  );
}

function renderOperationMap(operations) {
  let out = '\n/** Every operation of the Engine API by operationId, with its types: the basis of the typed request(). */\n';
  out += 'export interface OperationMap {\n';
  for (const op of operations) {
    out += `  ${op.id}: {\n`;
    out += `    method: '${op.method}';\n`;
    out += `    path: ${quoteString(op.path)};\n`;
    out += `    pathParams: ${op.id}PathParams;\n`;
    out += `    query: ${op.id}Query;\n`;
    out += `    body: ${op.id}Body;\n`;
    out += `    response: ${op.id}Response;\n`;
    out += '  };\n';
  }
  out += '}\n\n/** The operationId of an Engine API operation. */\nexport type OperationId = keyof OperationMap;\n';
  return out;
}

function renderRuntimeTable(operations, table, queryNames) {
  let out = '\n/** What request() needs to know at run time about each operation. */\nexport const operations = {\n';
  for (const op of operations) {
    const row = table.get(op.id);
    if (!['yes', 'no'].includes(row.deprecated)) throw new Error(`${op.id}: deprecated is ${JSON.stringify(row.deprecated)}`);
    out +=
      `  ${op.id}: { method: '${op.method}', path: ${quoteString(op.path)}, tag: ${quoteString(op.tag)}, ` +
      `since: ${quoteString(row.since_version)}, responseKind: ${quoteString(row.response_kind)}, ` +
      `requestBody: ${quoteString(normalizeRequestBody(row.request_body))}, deprecated: ${row.deprecated === 'yes'}, ` +
      `query: [${[...queryNames.get(op.id)].sort().map(quoteString).join(', ')}] },\n`;
  }
  return `${out}} as const satisfies Record<OperationId, OperationInfo>;\n`;
}

function renderRouteMap(operations) {
  const seen = new Set();
  let out = "\n/** The operationId for each `'METHOD /path/template'`, for a typed `request(method, path)`. */\n";
  out += 'export interface OperationByRoute {\n';
  for (const op of operations) {
    const route = `${op.method} ${op.path}`;
    if (seen.has(route)) throw new Error(`two operations for ${route}`);
    seen.add(route);
    out += `  ${quoteString(route)}: '${op.id}';\n`;
  }
  return `${out}}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// index.ts, and putting it together

function renderIndex(version) {
  return (
    fileHeader(version, 'Everything generated, for src/ to import from one place.') +
    '\n' +
    "export type * from './models.js';\nexport * from './operations.js';\n"
  );
}

/** The generated files as `Map(path relative to the repo -> contents)`. */
function generate() {
  const versions = listSpecVersions();
  const newest = versions.at(-1);
  const spec = readSpec(newest.file);
  if (String(spec.info?.version) !== newest.version) throw new Error(`${newest.file} says info.version ${spec.info?.version}`);

  const table = readOperationsTable();
  const operations = collectOperations(spec);
  checkAgainstTable(operations, table);

  // The runtime table's query names: every name any spec version knows for the operation, so that a parameter
  // an older engine still takes (and the newest spec dropped) is not refused at run time.
  const queryNames = new Map(operations.map((op) => [op.id, new Set(op.query.map((p) => p.name))]));
  for (const { file } of versions.slice(0, -1)) {
    for (const op of collectOperations(readSpec(file))) {
      for (const p of op.query) queryNames.get(op.id)?.add(p.name);
    }
  }

  const usedGoTypeHints = new Set();
  const models = renderModels(spec, newest.version, new RenderContext(spec.definitions, usedGoTypeHints));
  const ops = renderOperations(operations, table, versions, new RenderContext(spec.definitions, usedGoTypeHints), queryNames);
  for (const location of GO_TYPE_ONLY_SCHEMAS.keys()) {
    if (!usedGoTypeHints.has(location)) throw new Error(`GO_TYPE_ONLY_SCHEMAS has ${location}, which the spec no longer has`);
  }

  return new Map([
    ['src/generated/models.ts', models],
    ['src/generated/operations.ts', ops],
    ['src/generated/index.ts', renderIndex(newest.version)],
  ]);
}

function main(args) {
  const check = args.includes('--check');
  const files = generate();
  let stale = 0;
  for (const [path, contents] of files) {
    const absolute = join(repoRoot, path);
    if (check) {
      const current = existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
      if (current !== contents) {
        console.error(`${path} is out of date with scripts/generate-types.mjs; run \`npm run generate\``);
        stale++;
      }
    } else {
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, contents);
      console.log(`wrote ${relative(process.cwd(), absolute) || path}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}

main(process.argv.slice(2));
