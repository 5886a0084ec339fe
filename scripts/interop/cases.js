// cases.js -- for every test case of a pack: run it through intake
// (--answers, saved as a session), export the session as FHIR and JSON,
// and check that fhirpath.js over the exported Questionnaire and intake's
// own QuestionnaireResponse enables exactly the questions the interview
// asked (up to where it stopped, for an interview that did not complete).
// Writes each case's Bundle to OUT/<pack>/<case>.bundle.json for the
// later checks. Usage: node cases.js INTAKE PACK TESTS OUT
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { enabledItems, responseOf } = require('./enabled.js');

const [intake, pack, tests, out] = process.argv.slice(2);
const q = JSON.parse(execFileSync(intake, ['export', '--questionnaire', pack]));
const cases = JSON.parse(fs.readFileSync(tests, 'utf8')).cases;
const packJson = JSON.parse(fs.readFileSync(pack, 'utf8'));
const dir = path.join(out, q.name);

// A typed line as the answer value (the forms docs/TESTING-PACKS.md uses)
function typed(id, text) {
  const qq = packJson.questions.find(x => x.id === id);
  const t = String(text).trim().toLowerCase();
  const label = o => String(typeof o.label === 'string' ? o.label
                                                       : o.label.patient)
                       .toLowerCase();
  const opt = x => /^[0-9]+$/.test(x) ? qq.options[Number(x) - 1].value
                 : (qq.options.find(o => o.value === x) ||
                    qq.options.find(o => label(o).startsWith(x)) ||
                    { value: x }).value;
  switch (qq.type) {
    case 'yes_no':
      if (t === 'yes' || t === 'y') return true;
      if (t === 'no' || t === 'n') return false;
      return 'unknown';
    case 'choice':
      return opt(t);
    case 'multi':
      if (t === 'none' || t === '') return [];
      return t.split(/^[0-9 ,]+$/.test(t) ? /[\s,]+/ : /\s*,\s*/)
        .filter(Boolean).map(opt);
    case 'number':
      return Number(t);
    default:
      return String(text);
  }
}

// The answers a case ends with: its answers, or its steps replayed (back
// takes back the last answer)
function finalAnswers(c) {
  if (c.answers) return c.answers;
  const done = [];
  for (const st of c.steps) {
    if (st.back) { done.pop(); continue; }
    if (!st.id) continue;
    const qq = packJson.questions.find(x => x.id === st.id);
    if (!qq || qq.type === 'info') continue; /* acknowledged, no answer */
    const v = 'answer' in st ? st.answer : typed(st.id, st.text);
    done.push([st.id, v]);
  }
  const a = {};
  for (const [id, v] of done) a[id] = v;
  return a;
}
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'questionnaire.json'), JSON.stringify(q));
// the notice a patient reads (the handout is in the patient's words)
const patientText = t => typeof t === 'string' ? t : t && t.patient;
fs.writeFileSync(path.join(dir, 'notice.txt'),
                 patientText(packJson.notice) ||
                 patientText(packJson.disclaimer));
let failed = 0, passed = 0;

for (const c of cases) {
  const base = path.join(dir, c.id);
  fs.writeFileSync(base + '.answers.json', JSON.stringify(finalAnswers(c)));
  try { fs.unlinkSync(base + '.session.json'); } catch (e) { /* none */ }
  const args = ['run', '--rules', pack, '--answers', base + '.answers.json',
                '--session', base + '.session.json'];
  if (c.audience === 'nurse') args.push('--mode', 'nurse');
  execFileSync(intake, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const bundleText = execFileSync(intake, ['export', base + '.session.json',
                                           '--format', 'fhir']);
  fs.writeFileSync(base + '.bundle.json', bundleText);
  const bundle = JSON.parse(bundleText);
  const qr = responseOf(bundle);
  const hist = JSON.parse(execFileSync(intake, ['export',
                                                base + '.session.json']))
                 .session.history;
  const asked = new Set();
  for (const e of hist) {
    if (e.back) asked.delete(e.question);
    else asked.add(e.question);
  }
  const order = q.item.map(i => i.linkId);
  let last = -1;
  for (const id of asked) last = Math.max(last, order.indexOf(id));
  let enabled = enabledItems(q, qr);
  if (qr.status !== 'completed')
    enabled = enabled.filter(id => order.indexOf(id) <= last);
  const want = order.filter(id => asked.has(id));
  fs.writeFileSync(base + '.asked.json', JSON.stringify({
    status: qr.status, asked: want, last: last }));
  const a = JSON.stringify(want), b = JSON.stringify(enabled);
  if (a !== b) {
    failed++;
    console.log(`FAIL ${q.name} ${c.id} (${qr.status}):\n  intake asked ${a}` +
                `\n  FHIRPath enables ${b}`);
  } else {
    passed++;
  }
}
console.log(`fhirpath ${q.name}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
