// enabled.js -- which items of an exported Questionnaire are enabled over
// a QuestionnaireResponse, by fhirpath.js (R4 model): the SDC variables in
// order, then each item's enableWhen (R4 rules) or enableWhenExpression.
// Usage: node enabled.js QUESTIONNAIRE.json BUNDLE_OR_QR.json
// Prints the enabled linkIds, one a line, in item order.
'use strict';
const fs = require('fs');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const VAR = 'http://hl7.org/fhir/StructureDefinition/variable';
const EWE =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';

function load(p) { return JSON.parse(fs.readFileSync(p, 'utf8')); }

function responseOf(doc) {
  if (doc.resourceType === 'Bundle')
    return doc.entry.find(e => e.resource.resourceType ===
                               'QuestionnaireResponse').resource;
  return doc;
}

function answersOf(qr, linkId) {
  const it = (qr.item || []).find(i => i.linkId === linkId);
  return it ? it.answer || [] : [];
}

function sameValue(answer, ew) {
  for (const k of Object.keys(ew)) {
    if (!k.startsWith('answer')) continue;
    const v = answer['value' + k.slice(6)];
    if (v === undefined) return undefined;
    if (k === 'answerCoding') return v.system === ew[k].system && v.code === ew[k].code;
    return v === ew[k] ? 0 : (v < ew[k] ? -1 : 1);
  }
  return undefined;
}

// R4: an enableWhen on an unanswered question is false (but 'exists')
function enableWhenHolds(qr, ew) {
  const as = answersOf(qr, ew.question);
  if (ew.operator === 'exists') return (as.length > 0) === ew.answerBoolean;
  return as.some(a => {
    const c = sameValue(a, ew);
    if (c === undefined) return false;
    if (typeof c === 'boolean') return ew.operator === '=' ? c : !c;
    switch (ew.operator) {
      case '=': return c === 0;
      case '!=': return c !== 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
    }
    return false;
  });
}

function enabledItems(q, qr) {
  const env = { resource: qr, questionnaire: q };
  for (const e of q.extension || []) {
    if (e.url !== VAR) continue;
    const x = e.valueExpression;
    env[x.name] = fhirpath.evaluate(qr, x.expression, env, r4);
  }
  const out = [];
  for (const item of q.item) {
    let on = true;
    const ext = (item.extension || []).find(e => e.url === EWE);
    if (ext) {
      const r = fhirpath.evaluate(qr, ext.valueExpression.expression,
                                  Object.assign({}, env, { context: qr }), r4);
      if (r.length !== 1 || typeof r[0] !== 'boolean')
        throw new Error(`${item.linkId}: enableWhenExpression gave ` +
                        JSON.stringify(r) + ', not one Boolean');
      on = r[0];
    } else if (item.enableWhen) {
      const hold = item.enableWhen.map(ew => enableWhenHolds(qr, ew));
      on = (item.enableBehavior || 'all') === 'all' ? hold.every(Boolean)
                                                    : hold.some(Boolean);
    }
    if (on) out.push(item.linkId);
  }
  return out;
}

module.exports = { enabledItems, responseOf, load };

if (require.main === module) {
  const q = load(process.argv[2]);
  const qr = responseOf(load(process.argv[3]));
  for (const id of enabledItems(q, qr)) console.log(id);
}
