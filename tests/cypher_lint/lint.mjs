#!/usr/bin/env node
// Offline Cypher linter for infringer-graph's test suite.
//
// Feeds every statement to Neo4j's own linter, `lintCypherQuery` from
// @neo4j-cypher/language-support (pinned in package.json; it bundles the Neo4j
// Cypher front end -- parser + semantic analysis -- compiled to JavaScript, so
// it needs no server and no network).
//
// stdin: either a bare JSON array of statements
//     [{"query": "MATCH (n {uid: $uid}) RETURN n", "params": {"uid": "x"}}, ...]
// or an envelope
//     {"statements": [...],
//      "schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//      "cypherVersion": "5" | "25",          // default "5" (Neo4j's default language)
//      "catalog": "core" | "all" | "none"}   // default "core", see below
//
// stdout: a JSON array, same order as the input statements, of arrays of
//     {"severity": "error" | "warning", "message": str,
//      "line": int, "column": int,            // 1-based start
//      "end_line": int, "end_column": int,    // 1-based, end exclusive
//      "offset": int, "end_offset": int,      // 0-based character offsets in the query
//      "deprecated": bool}                    // LSP "Deprecated" tag
//
// How the DbSchema handed to lintCypherQuery is built (decisions):
//  * parameters: each statement's own `params` dict. The linter reports an
//    *error* "Parameter $x is not defined." for every $x missing from it,
//    whatever else the schema holds; the example values are not type-checked,
//    only their presence counts (null is fine).
//  * labels / relationshipTypes / propertyKeys: passed ONLY when the envelope's
//    `schema` gives them. Without them the linter does not check names at all
//    (an empty database is not a problem). With them it emits *warnings*
//    "... is not present in the database"; label/rel-type checking only runs
//    when BOTH `labels` and `relationshipTypes` are given, property checking
//    when `propertyKeys` is given (properties written by the query are exempt).
//  * functions / procedures (`catalog`): the package ships a catalogue dumped
//    from a real Neo4j server (testData.mockSchema; Cypher 5 and 25 variants,
//    including APOC and GDS). With a catalogue the linter also reports unknown
//    functions/procedures, wrong argument counts, unknown YIELD columns and
//    deprecated functions/procedures. "core" (default) = that catalogue minus
//    apoc.* and gds.* (plugins our server does not have), "all" = with them,
//    "none" = no catalogue (any function/procedure name is accepted).
//  * defaultLanguage: "CYPHER 5" unless `cypherVersion` says "25"; a query's own
//    `CYPHER 25` / `CYPHER 5` prefix overrides it, as on a real server.
//  * console commands (`:param`, `:use`) are disabled: a driver cannot send them.
//  * A query holding more than one statement (`A; B`) gets an extra error: the
//    driver sends exactly one statement per run (a single trailing `;` is fine).
//    So does an empty query.

import {
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const DEPRECATED_TAG = 2; // vscode-languageserver-types DiagnosticTag.Deprecated
const PLUGIN_PREFIXES = ['apoc.', 'gds.'];

function fail(message) {
  process.stderr.write(`cypher lint: ${message}\n`);
  process.exit(2);
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function filterCatalogue(scoped, keepPlugins) {
  const out = {};
  for (const [version, registry] of Object.entries(scoped ?? {})) {
    out[version] = Object.fromEntries(
      Object.entries(registry).filter(
        ([name]) => keepPlugins || !PLUGIN_PREFIXES.some((p) => name.startsWith(p)),
      ),
    );
  }
  return out;
}

function baseSchema(envelope) {
  const schema = {};
  const given = envelope.schema ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) fail('"schema" must be an object');
  for (const key of ['labels', 'relationshipTypes', 'propertyKeys']) {
    if (given[key] !== undefined) {
      if (!Array.isArray(given[key]) || !given[key].every((x) => typeof x === 'string')) {
        fail(`schema.${key} must be a list of strings`);
      }
      schema[key] = given[key];
    }
  }

  const version = String(envelope.cypherVersion ?? '5').replace(/^CYPHER\s+/i, '');
  if (version !== '5' && version !== '25') fail(`unknown cypherVersion ${envelope.cypherVersion}`);
  schema.defaultLanguage = `CYPHER ${version}`;

  const catalog = envelope.catalog ?? 'core';
  if (!['core', 'all', 'none'].includes(catalog)) fail(`unknown catalog ${catalog}`);
  if (catalog !== 'none') {
    const keepPlugins = catalog === 'all';
    schema.functions = filterCatalogue(testData.mockSchema.functions, keepPlugins);
    schema.procedures = filterCatalogue(testData.mockSchema.procedures, keepPlugins);
  }
  return schema;
}

function convert(d) {
  return {
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    end_line: d.range.end.line + 1,
    end_column: d.range.end.character + 1,
    offset: d.offsets?.start ?? null,
    end_offset: d.offsets?.end ?? null,
    deprecated: Array.isArray(d.tags) && d.tags.includes(DEPRECATED_TAG),
  };
}

function lintOne(stmt, index, schema) {
  if (stmt === null || typeof stmt !== 'object' || typeof stmt.query !== 'string') {
    fail(`statement #${index} must be an object with a string "query"`);
  }
  const params = stmt.params ?? {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    fail(`statement #${index}: "params" must be an object`);
  }
  let result;
  try {
    result = lintCypherQuery(stmt.query, { ...schema, parameters: params }, {
      consoleCommandsEnabled: false,
    });
  } catch (e) {
    fail(`linter crashed on statement #${index} (${JSON.stringify(stmt.query)}): ${e?.stack ?? e}`);
  }
  const diags = result.diagnostics.map(convert);
  const whole = { line: 1, column: 1, end_line: 1, end_column: 1, offset: 0, end_offset: 0, deprecated: false };
  if (stmt.query.trim().length === 0) {
    diags.push({ severity: 'error', message: 'Empty query', ...whole });
  }
  // A trailing `;` is fine (the server accepts it); two statements are not.
  const statementCount = parseStatementsStrs(stmt.query).length;
  if (statementCount > 1) {
    diags.push({
      severity: 'error',
      message: `Query holds ${statementCount} statements; a driver runs exactly one statement per query`,
      ...whole,
    });
  }
  return diags;
}

const raw = await readStdin();
let input;
try {
  input = JSON.parse(raw);
} catch (e) {
  fail(`stdin is not valid JSON: ${e.message}`);
}
const envelope = Array.isArray(input) ? { statements: input } : input;
if (envelope === null || typeof envelope !== 'object' || !Array.isArray(envelope.statements)) {
  fail('stdin must be a JSON array of statements or an object with a "statements" array');
}
const schema = baseSchema(envelope);
const output = envelope.statements.map((s, i) => lintOne(s, i, schema));
process.stdout.write(JSON.stringify(output));
process.stdout.write('\n');
