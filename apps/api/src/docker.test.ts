// No Docker engine runs here, so this checks what can be checked without one: docker/compose.yaml parses
// and names only services, variables and paths that exist. (reliability/image.test.ts runs the image's
// steps: production install, migrate, start as a non-root user.)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DB_ENV_KEYS } from '@mergington/db';
import { API_ENV_KEYS } from './env.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dockerDir = join(root, 'docker');
const composeText = readFileSync(join(dockerDir, 'compose.yaml'), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  working_dir?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  expose?: string[];
}
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const envExample = new Map(
  readFileSync(join(dockerDir, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);
const dockerfile = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8');
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const ourServices = Object.entries(services).filter(([, service]) => service.build);

describe('docker/compose.yaml', () => {
  it('has PostgreSQL 18 on a named volume with a health check, a migrate job, the app and a proxy', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'db', 'migrate', 'proxy', 'worker']);
    expect(services.db!.image).toMatch(/^postgres:18\b/);
    const [volume] = services.db!.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(services.db!.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(services.migrate!.command).toEqual(['node', 'packages/db/dist/migrate.js', 'up']);
    expect(services.app!.environment!.MIGRATE_ON_START).toBe('false');
    expect(services.app!.depends_on!.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(services.app!.healthcheck!.test.join(' ')).toContain('/readyz');
    // The queue runs in the worker service only, which runs what `pnpm worker` runs after its build.
    expect(services.app!.environment!.WORKER).toBe('separate');
    const apiScripts = JSON.parse(readFileSync(join(root, 'apps/api/package.json'), 'utf8')).scripts;
    expect(services.worker!.command).toEqual(apiScripts.worker.split(' '));
    expect(apiScripts.build).toContain('--outfile=dist/worker.js');
    expect(services.worker!.depends_on!.migrate).toEqual({ condition: 'service_completed_successfully' });
  });

  it('uses only variables that .env.example defines, and .env.example only variables it uses', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z_]+)/g)].map((match) => match[1]!));
    expect([...used].filter((name) => !envExample.has(name))).toEqual([]);
    expect([...envExample.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  it("sets only variables the app's env parsing reads", () => {
    const known = new Set([...API_ENV_KEYS, ...DB_ENV_KEYS, 'NODE_ENV']);
    for (const [, service] of ourServices) {
      expect(Object.keys(service.environment ?? {}).filter((name) => !known.has(name))).toEqual([]);
    }
    const imageEnv = [...finalStage.matchAll(/^ENV (.+)$/gm)].flatMap((match) =>
      match[1]!.split(/\s+/).map((pair) => pair.split('=')[0]!),
    );
    expect(imageEnv.filter((name) => !known.has(name) && !name.startsWith('npm_config_'))).toEqual([]);
    // The postgres image reads these.
    expect(Object.keys(services.db!.environment!).sort()).toEqual([
      'POSTGRES_DB',
      'POSTGRES_PASSWORD',
      'POSTGRES_USER',
    ]);
  });

  it('names only services and paths that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(services, name).toHaveProperty(dependency);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.'))
          expect(existsSync(resolve(dockerDir, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: ${source}`).toContain(source);
      }
    }
    for (const [name, service] of ourServices) {
      const context = resolve(dockerDir, service.build!.context);
      expect(existsSync(join(context, service.build!.dockerfile)), name).toBe(true);
      expect(context).toBe(resolve(root));
    }
    // The proxy sends to the app service on the port the image listens on.
    const caddyfile = readFileSync(join(dockerDir, 'Caddyfile'), 'utf8');
    const [, upstream, port] = /dynamic a (\S+) (\d+)/.exec(caddyfile)!;
    expect(services).toHaveProperty(upstream!);
    expect(services.app!.expose).toContain(port);
    expect(finalStage).toContain(`PORT=${port}`);
  });

  // CI installs Debian's caddy for this; without the binary the test says so and skips.
  const caddy = ['/usr/bin/caddy', '/usr/local/bin/caddy'].find((path) => existsSync(path));
  it.skipIf(!caddy)('has a proxy configuration that Caddy accepts (caddy validate)', () => {
    const output = execFileSync(
      caddy!,
      ['validate', '--adapter', 'caddyfile', '--config', join(dockerDir, 'Caddyfile')],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(output).toContain('Valid configuration');
  });
  if (!caddy) console.log('docker/Caddyfile: not validated, no caddy binary (apt-get install caddy)');

  it('builds a multi-stage image of production dependencies that runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toContain('pnpm install --frozen-lockfile --prod');
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
    // What CMD starts is there; the migrate service runs what `pnpm db:migrate` runs after its build step,
    // which the build stage runs.
    // CMD runs the API's bundle, which the api's build script writes, in the api's folder.
    expect(/^WORKDIR (\S+)$/m.exec(finalStage)![1]).toBe('/app/apps/api');
    const cmd = JSON.parse(/^CMD (\[.+\])$/m.exec(finalStage)![1]!) as string[];
    expect(cmd).toEqual(['node', 'dist/main.js']);
    const apiScripts = JSON.parse(readFileSync(join(root, 'apps/api/package.json'), 'utf8')).scripts;
    expect(apiScripts.build).toContain('src/main.ts --bundle');
    expect(apiScripts.build).toContain('--outfile=dist/main.js');
    expect(apiScripts.start).toBe(cmd.join(' '));
    const rootScripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(rootScripts['db:migrate']).toBe(
      `turbo run build --filter=@mergington/db --output-logs=errors-only && ${services.migrate!.command!.join(' ')}`,
    );
    expect(dockerfile.split(/^FROM /m)[1]).toContain('pnpm exec turbo run build');
    expect(existsSync(join(dirname(dockerDir), '.dockerignore'))).toBe(true);
  });
});
