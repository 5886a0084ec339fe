// browser.js -- the checks that need a browser, in Debian's Chromium
// driven headless by puppeteer-core:
//  1. LHC-Forms (npm lforms) renders each case's Questionnaire with
//     intake's QuestionnaireResponse: it shows exactly the items intake
//     asked (up to where an unfinished interview stopped), and on a
//     completed response no shown item has a validity error.
//  2. The HTML handout of one case per disposition: the text expected is
//     there, the ladder step is marked, nothing is cut off at A4 or US
//     Letter width (screenshots saved), and the PDF print has 1 to N
//     pages, N from the page's own printed height.
// Usage: node browser.js CHROMIUM LFORMS_DIST INTAKE OUT PACKNAME...
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const puppeteer = require('puppeteer-core');

const [chromium, lformsDist, intake, out, ...packs] = process.argv.slice(2);
let failed = 0, passed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.log('FAIL ' + what); }
}

const harness = path.join(out, 'lforms.html');
fs.writeFileSync(harness, `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="${lformsDist}/webcomponent/assets/lib/zone.min.js"></script>
</head><body><div id="f"></div>
<script src="${lformsDist}/webcomponent/lhc-forms.js"></script>
<script src="${lformsDist}/fhir/R4/lformsFHIR.min.js"></script>
</body></html>`);

async function lformsCase(page, q, bundle, asked, id) {
  await page.goto('file://' + harness);
  await page.waitForFunction('window.LForms && LForms.Util && ' +
                             'LForms.Util.addFormToPage', { timeout: 60000 });
  const qr = bundle.entry[0].resource;
  const r = await page.evaluate(async (q, qr) => {
    await LForms.Util.addFormToPage(q, 'f', { questionnaireResponse: qr });
    await new Promise(res => setTimeout(res, 300));
    const form = LForms.Util._getFormObjectInScope('f');
    const shown = [], errors = [];
    form.checkValidity();
    for (const it of form.itemList) {
      // LForms 40's checkValidity also counts items an
      // enableWhenExpression hides: count only the items it shows
      if (form.isItemHidden(it)) continue;
      shown.push(it.linkId);
      for (const e of it._validationErrors || [])
        errors.push(it.linkId + ': ' + e);
    }
    return { shown, errors };
  }, q, qr);
  const order = q.item.map(i => i.linkId);
  let shown = r.shown;
  if (asked.status !== 'completed')
    shown = shown.filter(x => order.indexOf(x) <= asked.last);
  check(JSON.stringify(shown) === JSON.stringify(asked.asked),
        `lforms ${id}: shows ${JSON.stringify(shown)}, intake asked ` +
        JSON.stringify(asked.asked));
  if (asked.status === 'completed')
    check(r.errors.length === 0,
          `lforms ${id}: validity errors on a completed response: ` +
          r.errors.join('; '));
}

function pdfPages(buf) {
  return (Buffer.from(buf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

async function handout(page, html, obs, notice, id, dir) {
  const file = path.join(dir, id + '.html');
  fs.writeFileSync(file, html);
  const disp = obs.valueCodeableConcept.coding[0].display;
  const rung = (obs.component || []).find(c => c.code.coding[0].code ===
                                             'ladder-step');
  for (const [paper, width] of [['A4', 794], ['Letter', 816]]) {
    await page.setViewport({ width, height: 1123 });
    await page.goto('file://' + file);
    const r = await page.evaluate(() => {
      const here = document.querySelector('ol.ladder li.here');
      const text = document.body.innerText;
      const wide = Array.from(document.querySelectorAll('body *')).filter(
        e => e.getBoundingClientRect().right > window.innerWidth + 1);
      return {
        text,
        hereText: here ? here.innerText : null,
        hereBorder: here ? parseFloat(getComputedStyle(here).borderTopWidth)
                         : 0,
        otherBorder: (() => {
          const o = document.querySelector('ol.ladder li:not(.here)');
          return o ? parseFloat(getComputedStyle(o).borderTopWidth) : 0;
        })(),
        scrollWidth: document.documentElement.scrollWidth,
        wide: wide.map(e => e.tagName).slice(0, 5),
        requests: performance.getEntriesByType('resource').length,
      };
    });
    check(r.text.includes('What to do next') && r.text.includes(disp),
          `handout ${id} (${paper}): the disposition '${disp}' is shown`);
    check(r.text.replace(/\s+/g, ' ').includes(notice.replace(/\s+/g, ' ')),
          `handout ${id} (${paper}): the notice is shown`);
    if (rung)
      check(r.hereText && r.hereText.includes('You are here') &&
            r.hereText.includes(rung.valueCodeableConcept.coding[0].display) &&
            r.hereBorder > r.otherBorder,
            `handout ${id} (${paper}): the ladder step is marked`);
    check(r.scrollWidth <= width && r.wide.length === 0,
          `handout ${id} (${paper}): nothing cut off at ${width} px ` +
          `(scroll width ${r.scrollWidth}, ${r.wide.join(' ')})`);
    check(r.requests === 0, `handout ${id}: fetched ${r.requests} resources`);
    await page.screenshot({ path: path.join(dir, `${id}-${paper}.png`),
                            fullPage: true });
    // the PDF: 1 to N pages, N = the printed height over a page, with a
    // quarter more and one page for the boxes kept whole
    // measured in print at the printed width (page less its margins)
    await page.setViewport({ width: Math.floor((paper === 'A4' ? 180 : 185.9)
                                               / 25.4 * 96), height: 1000 });
    await page.emulateMediaType('print');
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.emulateMediaType(null);
    const pdf = await page.pdf({ format: paper, printBackground: false });
    const n = pdfPages(pdf);
    const pageHeight = paper === 'A4' ? (297 - 32) / 25.4 * 96
                                      : (279.4 - 32) / 25.4 * 96;
    const most = Math.ceil(1.25 * h / pageHeight) + 1;
    fs.writeFileSync(path.join(dir, `${id}-${paper}.pdf`), pdf);
    check(n >= 1 && n <= most,
          `handout ${id} (${paper}): ${n} PDF pages, expected 1 to ${most}`);
    console.log(`handout ${id} ${paper}: ${n} page(s)`);
  }
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ['--no-sandbox', '--allow-file-access-from-files',
           '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage();
  page.on('pageerror', e => console.log('page error: ' + e.message));
  for (const name of packs) {
    const dir = path.join(out, name);
    const q = JSON.parse(fs.readFileSync(path.join(dir, 'questionnaire.json')));
    const seen = new Set();
    for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.asked.json'))
                      .sort()) {
      const id = f.slice(0, -'.asked.json'.length);
      const asked = JSON.parse(fs.readFileSync(path.join(dir, f)));
      const bundle = JSON.parse(fs.readFileSync(path.join(dir,
                                                          id + '.bundle.json')));
      await lformsCase(page, q, bundle, asked, `${name}/${id}`);
      const obs = bundle.entry[1].resource;
      const disp = obs.valueCodeableConcept.coding[0].code;
      if (!seen.has(disp)) {
        seen.add(disp);
        const sess = path.join(dir, id + '.session.json');
        const html = execFileSync(intake, ['export', sess, '--format', 'html']);
        const notice = fs.readFileSync(path.join(dir, 'notice.txt'), 'utf8');
        await handout(page, html, obs, notice, id, dir);
      }
    }
    console.log(`${name}: handouts for ${seen.size} dispositions`);
  }
  await browser.close();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch(e => { console.error(e); process.exit(1); });
