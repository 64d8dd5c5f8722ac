// Summarises the .cpuprofile files `BENCH_CPU_PROF_DIR=<dir> pnpm bench:api` writes: self time per category
// (the package or part of the app a function lives in), in ms per request and as a share of the profile.
//   pnpm --filter @mergington/api exec tsx bench/profile-summary.ts <dir>/signup [requests] [--top 20]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The first rule whose test matches names the category; the order matters (our own code last). */
const CATEGORIES: [string, (url: string, name: string) => boolean][] = [
  ['idle', (url, name) => name === '(idle)'],
  ['GC', (url, name) => name === '(garbage collector)'],
  ['node:http / net', (url) => /^node:(_http|http|net|stream|internal\/(http|stream|streams|net))/.test(url)],
  ['@trpc/server', (url) => url.includes('/@trpc/server/')],
  ['superjson', (url) => url.includes('/superjson/')],
  ['zod', (url) => url.includes('/zod/')],
  ['pino', (url) => /\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact)\//.test(url)],
  ['@mikro-orm', (url) => url.includes('/@mikro-orm/')],
  ['knex', (url) => url.includes('/knex/')],
  ['pg', (url) => /\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+|pg-connection-string)\//.test(url)],
  ['session lookup', (url, name) => url.includes('/accounts/accounts.ts') || name === 'hashToken'],
  ['our code (api, db)', (url) => /\/(apps\/api|packages\/(db|contract))\/src\//.test(url)],
  [
    'tsx / module loading',
    (url) => /\/(tsx|esbuild|get-tsconfig)\//.test(url) || url.startsWith('node:internal/modules'),
  ],
  ['node: other', (url) => url.startsWith('node:')],
  ['(program, native)', (url, name) => url === '' || name === '(program)'],
];

function categoryOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  return CATEGORIES.find(([, test]) => test(url, functionName))?.[0] ?? 'other dependencies';
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
}

const [path, requestsArg, ...rest] = process.argv.slice(2);
if (!path) {
  console.error('usage: profile-summary.ts <file or dir of .cpuprofile> [requests] [--top N]');
  process.exit(2);
}
const requests = Number(requestsArg) || 0;
const topIndex = rest.indexOf('--top');
const top = topIndex >= 0 ? Number(rest[topIndex + 1]) : 0;

const byCategory = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const file of profilesIn(path)) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id)!;
    const micros = profile.timeDeltas[index] ?? 0;
    const category = categoryOf(node);
    byCategory.set(category, (byCategory.get(category) ?? 0) + micros);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')}:${lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + micros);
    total += micros;
  });
}

const busy = total - (byCategory.get('idle') ?? 0);
const ms = (micros: number) => (micros / 1000).toFixed(0);
const perRequest = (micros: number) => (requests ? (micros / 1000 / requests).toFixed(3) : '');
console.log(
  `${path}: ${ms(total)} ms profiled, ${ms(busy)} ms busy${requests ? `, ${requests} requests` : ''}\n`,
);
console.log('| category | self ms | % of busy | ms per request |');
console.log('| --- | --- | --- | --- |');
for (const [category, micros] of [...byCategory].sort((a, b) => b[1] - a[1])) {
  const share = category === 'idle' ? '' : `${((100 * micros) / busy).toFixed(1)}%`;
  console.log(
    `| ${category} | ${ms(micros)} | ${share} | ${category === 'idle' ? '' : perRequest(micros)} |`,
  );
}
if (top) {
  console.log(`\ntop ${top} functions by self time:`);
  for (const [where, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms(micros).padStart(7)} ms  ${where}`);
  }
}
