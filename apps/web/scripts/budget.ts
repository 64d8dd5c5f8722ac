// The initial JavaScript budget: what a browser must download before the first screen, gzipped, at most
// 200 KB. Run after `vite build` (the web package's test command does both).
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 200 * 1000;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const html = await readFile(`${dist}index.html`, 'utf8');
// The entry script and the chunks Vite preloads with it; lazily loaded screens are not initial.
const initial = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g),
].map((match) => match[1]!);
if (initial.length === 0) throw new Error(`no module script in ${dist}index.html: was it built?`);

const gzipped = async (file: string) => gzipSync(await readFile(`${dist}${file}`), { level: 9 }).length;
const sizes = await Promise.all(initial.map(async (file) => ({ file, bytes: await gzipped(file) })));
const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
const lazy = (await readdir(`${dist}assets`)).filter(
  (file) => file.endsWith('.js') && !initial.includes(`assets/${file}`),
);
const lazyTotal = (await Promise.all(lazy.map((file) => gzipped(`assets/${file}`)))).reduce(
  (a, b) => a + b,
  0,
);

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
for (const { file, bytes } of sizes) console.log(`initial  ${kb(bytes).padStart(9)}  ${file}`);
console.log(`initial JavaScript, gzipped: ${kb(total)} of ${kb(BUDGET_BYTES)} allowed`);
console.log(`loaded on demand: ${lazy.length} chunks, ${kb(lazyTotal)} gzipped`);
if (total > BUDGET_BYTES) {
  console.error(`over budget by ${kb(total - BUDGET_BYTES)}`);
  process.exit(1);
}
