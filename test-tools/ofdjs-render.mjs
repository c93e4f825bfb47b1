// Renders every page of an OFD file with ofd.js (an independent OFD reader, npm
// "ofd.js" 0.2.6, Apache-2.0) in headless Chromium, for the Go tests in internal/ofd.
//
//   node ofdjs-render.mjs FILE.ofd OUTDIR SCALE [FONTS.json]
//
// Writes OUTDIR/page-N.png (N from 1; SCALE pixels per millimetre) and prints JSON:
// {"pages": [{"png": "...", "text": "...", "width": W, "height": H}], "errors": [...]}.
// FONTS.json lists {family, file, chars}: the page declares each file with
// @font-face under its family, limited by unicode-range to the characters it draws
// (two files may share a family, as a family's bold and regular faces do), because
// ofd.js draws text with the browser's fonts by family name and never loads a
// package's embedded FontFile itself.
//
// Everything is served from 127.0.0.1; the browser runs with networking features off.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const [ofdPath, outDir, scaleArg, fontsPath] = process.argv.slice(2);
if (!ofdPath || !outDir || !scaleArg) {
  console.error('usage: node ofdjs-render.mjs FILE.ofd OUTDIR SCALE [FONTS.json]');
  process.exit(2);
}
const scale = Number(scaleArg);
const fonts = fontsPath ? JSON.parse(fs.readFileSync(fontsPath, 'utf8')) : [];
const fontFiles = fonts.map((f, i) => ({ ...f, url: `/font/${i}.ttf` }));
const range = chars => [...new Set([...chars])].map(c => 'U+' + c.codePointAt(0).toString(16).toUpperCase()).join(', ');
const ofdJs = path.join(here, 'node_modules', 'ofd.js', 'lib', 'ofd.umd.js');

// ofd.js does not ask for a font by the package's family name when the name contains
// one of its known Chinese faces: "FandolKai" becomes "楷体, KaiTi, Kai", a system font
// (getFontFamily and its FONT_FAMILY table in ofd.js). Each file is also declared under
// the families the reader will ask for, found by running the reader's own function,
// taken from its source, so the page draws the package's font rather than whatever a
// machine's fallback is (boxes where it has no CJK font: Chromium 156 on Debian 12).
const readerFamilies = (() => {
  const src = fs.readFileSync(ofdJs, 'utf8');
  const table = src.match(/var FONT_FAMILY = \{[\s\S]*?\n\};/);
  const fn = src.match(/var getFontFamily = function getFontFamily\(font\) \{[\s\S]*?\n\};/);
  if (!table || !fn) throw new Error('ofd.js: getFontFamily not found in ' + ofdJs);
  const getFontFamily = new Function(`${table[0]}\n${fn[0]}\nreturn getFontFamily;`)();
  return family => [...new Set([family, ...getFontFamily(family).split(',').map(s => s.trim()).filter(Boolean)])];
})();
const css = fontFiles.flatMap(f => readerFamilies(f.family).map(family =>
  `@font-face { font-family: ${JSON.stringify(family)}; src: url(${f.url}); unicode-range: ${range(f.chars)}; }`)).join('\n');
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #888; }
${css}
</style><script src="/ofd.js"></script></head><body><div id="pages"></div></body></html>`;

const server = http.createServer((req, res) => {
  const send = (type, body) => { res.writeHead(200, { 'Content-Type': type }); res.end(body); };
  if (req.url === '/') return send('text/html; charset=utf-8', html);
  if (req.url === '/ofd.js') return send('text/javascript', fs.readFileSync(ofdJs));
  if (req.url === '/doc.ofd') return send('application/ofd', fs.readFileSync(ofdPath));
  const f = fontFiles.find(f => f.url === req.url);
  if (f) return send('font/ttf', fs.readFileSync(f.file));
  res.writeHead(404); res.end();
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const userDir = fs.mkdtempSync(path.join(outDir, 'chromium-'));
// A fresh profile (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(userDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
  viewport: { width: Math.ceil(210 * scale) + 40, height: 1200 }, deviceScaleFactor: 1,
});
const errors = [];
try {
  const page = browser.pages()[0] || await browser.newPage();
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route('**/*', route => route.request().url().startsWith(base) ? route.continue() : route.abort());
  await page.goto(base + '/');
  const n = await page.evaluate(async (scale) => {
    await document.fonts.ready;
    const res = await new Promise((resolve, reject) => {
      ofd.parseOfdDocument({ ofd: '/doc.ofd', success: resolve, fail: reject });
    });
    ofd.setPageScale(scale);
    const divs = ofd.renderOfdByScale(res[0]);
    const box = document.getElementById('pages');
    for (const d of divs) box.appendChild(d);
    await document.fonts.ready;
    // Let every @font-face finish loading before the screenshots.
    await Promise.all([...document.fonts].map(f => f.load().catch(() => null)));
    return divs.length;
  }, scale);
  const pages = [];
  const handles = await page.$$('#pages > div');
  for (let i = 0; i < handles.length; i++) {
    const file = path.join(outDir, `page-${i + 1}.png`);
    await handles[i].screenshot({ path: file });
    const info = await handles[i].evaluate(d => ({
      // DOM order is content order: ofd.js appends one <text> per glyph, per object.
      text: [...d.querySelectorAll('text')].map(t => t.textContent).join(''),
      width: d.offsetWidth, height: d.offsetHeight,
    }));
    pages.push({ png: file, ...info });
  }
  if (pages.length !== n) errors.push(`rendered ${n} pages, found ${pages.length}`);
  process.stdout.write(JSON.stringify({ pages, errors }));
} finally {
  await browser.close();
  server.close();
  fs.rmSync(userDir, { recursive: true, force: true });
}
