// A warm Typst compiler (typst.ts 0.7.0, Typst 0.14) compiling many documents to PDF
// in one Node process, for the throughput comparison of issue 15 (bench.sh).
//
//   node warm.mjs [--fonts DIR] [--out DIR] [--evict] [--cold] FILE.typ…
//
// The compiler is created once and compiles one document before the clock starts
// (fonts found, loaded and parsed), then compiles every FILE and writes its PDF.
// Typst memoizes layout across compilations of one compiler; --evict clears that
// cache after each document, so that no document reuses another's work. --cold
// times one process doing one document from scratch (no warm-up). Prints one JSON
// line: documents, wall seconds, documents a second, process CPU, threads (and the
// CPU seconds of those that used at least 0.05 s), the wall time split into
// compiling (layout) and PDF export, pages and PDF bytes.
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let fontDir = 'fonts', outDir = '', evict = false, cold = false;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--fonts') fontDir = args[++i];
  else if (args[i] === '--out') outDir = args[++i];
  else if (args[i] === '--evict') evict = true;
  else if (args[i] === '--cold') cold = true;
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: node warm.mjs [--fonts DIR] [--out DIR] [--evict] [--cold] FILE.typ…');
  process.exit(2);
}

const t0 = process.hrtime.bigint();
const compiler = NodeCompiler.create({
  workspace: path.resolve(path.dirname(files[0])),
  fontArgs: [{ fontPaths: [path.resolve(fontDir)] }],
});

let compileNs = 0n, pdfNs = 0n;
function compileOne(file) {
  const a = process.hrtime.bigint();
  const res = compiler.compile({ mainFilePath: path.resolve(file) });
  const doc = res.result;
  if (!doc || res.hasError()) {
    res.printDiagnostics();
    throw new Error(`${file}: typst compile failed`);
  }
  const b = process.hrtime.bigint();
  const pdf = compiler.pdf(doc);
  compileNs += b - a;
  pdfNs += process.hrtime.bigint() - b;
  return { pages: doc.numOfPages, pdf };
}

if (!cold) {
  compileOne(files[0]);
  if (evict) compiler.evictCache(0);
}
compileNs = pdfNs = 0n;
const cpu0 = process.cpuUsage();
const t1 = process.hrtime.bigint();
let pages = 0, bytes = 0, maxThreads = 0;
for (const file of files) {
  const { pages: p, pdf } = compileOne(file);
  pages += p;
  bytes += pdf.length;
  if (outDir) fs.writeFileSync(path.join(outDir, path.basename(file, '.typ') + '.pdf'), pdf);
  if (evict) compiler.evictCache(0);
  maxThreads = Math.max(maxThreads, fs.readdirSync('/proc/self/task').length);
}
const t2 = process.hrtime.bigint();
// Which threads did the work: CPU seconds of each thread of this process (utime +
// stime, fields 14-15 of /proc/self/task/TID/stat, in clock ticks of 1/100 s).
const busy = [];
for (const tid of fs.readdirSync('/proc/self/task')) {
  let stat;
  try { stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'); } catch { continue; }
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const s = (Number(f[11]) + Number(f[12])) / 100;
  if (s >= 0.05) busy.push(`${comm}:${s.toFixed(2)}`);
}
const cpu = process.cpuUsage(cpu0);
const wall = Number(t2 - t1) / 1e9;
console.log(JSON.stringify({
  documents: files.length,
  wall_s: wall,
  per_s: files.length / wall,
  cpu_s: (cpu.user + cpu.system) / 1e6,
  setup_s: Number(t1 - t0) / 1e9,
  compile_s: Number(compileNs) / 1e9, // layout (Typst's compile), wall
  pdf_s: Number(pdfNs) / 1e9, // PDF export, wall
  threads: maxThreads,
  busy_threads: busy.join(' '),
  pages,
  pdf_bytes: bytes,
  evict,
  cold,
}));
