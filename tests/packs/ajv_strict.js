#!/usr/bin/env node
// ajv_strict.js -- the pack JSON Schema compiles under ajv in strict mode
// (strictTypes, no union types) and agrees with `intake check` on the
// corpus: every good pack is valid; every struct_* bad pack is invalid;
// every lint_* bad pack is valid except those the schema can also catch
// (listed in tests/packs/schema_catches.txt, each with its kind); the
// syntax_* packs are not JSON. Prints, per kind, how many of the bad packs
// only `intake check` can catch.
// Usage: node ajv_strict.js AJV_DIR SOURCE_DIR
// AJV_DIR holds node_modules/ajv (scripts/test-tools.sh installs it); exit
// 77 (skipped) when it is not there.
'use strict';
const fs = require('fs');
const path = require('path');
const [ajvDir, src] = process.argv.slice(2);
let Ajv2020;
try {
  Ajv2020 = require(path.join(ajvDir, 'node_modules', 'ajv', 'dist', '2020'));
} catch (e) {
  console.log('skipped: ajv is not installed in ' + ajvDir +
              ' (scripts/test-tools.sh installs it; CI runs it)');
  process.exit(77);
}
const ajv = new Ajv2020({strict: true, strictTypes: true, strictTuples: true,
                         strictRequired: true, allErrors: true});
const schema = JSON.parse(fs.readFileSync(
  path.join(src, 'rules/schema/intake-rules.schema.json'), 'utf8'));
let validate;
try {
  validate = ajv.compile(schema);
} catch (e) {
  console.log('FAIL the schema does not compile in strict mode: ' + e.message);
  process.exit(1);
}
const failures = [];
const list = (dir) => fs.existsSync(dir) ?
  fs.readdirSync(dir).filter((f) => f.endsWith('.json') &&
                                   !f.endsWith('.tests.json'))
    .map((f) => path.join(dir, f)) : [];
const good = [...list(path.join(src, 'tests/packs/good')),
              ...list(path.join(src, 'rules')),
              ...list(path.join(src, 'rules/examples'))];
for (const p of good) {
  if (!validate(JSON.parse(fs.readFileSync(p, 'utf8'))))
    failures.push(p + ': a good pack is invalid: ' +
                  ajv.errorsText(validate.errors));
}
const catches = new Set(fs.readFileSync(
  path.join(src, 'tests/packs/schema_catches.txt'), 'utf8').split('\n')
  .map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
const only = {}, caught = {};
for (const p of list(path.join(src, 'tests/packs/bad')).sort()) {
  const name = path.basename(p, '.json');
  const kind = name.split('_')[0];
  if (kind === 'syntax') continue;
  let doc;
  try { doc = JSON.parse(fs.readFileSync(p, 'utf8')); } catch (e) {
    continue; /* JSON the loader refuses (duplicate keys are parsed) */
  }
  const valid = validate(doc);
  if (kind === 'struct' && valid)
    failures.push(name + ': the schema accepts a structurally broken pack');
  if (kind === 'lint' && !valid && !catches.has(name))
    failures.push(name + ': the schema rejects it (' +
                  ajv.errorsText(validate.errors) +
                  '); list it in tests/packs/schema_catches.txt');
  if (kind === 'lint' && valid && catches.has(name))
    failures.push(name + ': listed in schema_catches.txt, but the schema ' +
                  'accepts it');
  if (!valid) caught[kind] = (caught[kind] || 0) + 1;
  else only[kind] = (only[kind] || 0) + 1;
}
for (const f of failures) console.log('FAIL ' + f);
console.log('ajv strict: ' + good.length + ' good packs valid; bad packs the ' +
            'schema rejects: ' + JSON.stringify(caught) + '; only intake ' +
            'check catches: ' + JSON.stringify(only));
process.exit(failures.length ? 1 : 0);
