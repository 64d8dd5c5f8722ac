import { describe, expect, it } from 'vitest';
import { ChromiumMissing, ensureChromium, type Machine } from './chromium.ts';

/** A machine with these executables; installing Chromium puts Debian's package in place. */
function machine({
  executables = [] as string[],
  env = { PATH: '/usr/local/bin:/usr/bin' } as Machine['env'],
  isRoot = true,
  install = async () => {
    executables.push('/usr/bin/chromium');
  },
} = {}) {
  const said: string[] = [];
  let installs = 0;
  const fake: Machine = {
    env,
    isRoot,
    isExecutable: (path) => executables.includes(path),
    async installChromium() {
      installs++;
      await install();
    },
    say: (line) => said.push(line),
  };
  return { fake, said, installs: () => installs };
}

/** The failure the test run stops with: one line. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail('Chromium was found'),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ChromiumMissing);
  const { message } = error as ChromiumMissing;
  expect(message).not.toContain('\n');
  return message;
}

describe('finding Chromium for the browser tests', () => {
  it('takes CHROMIUM_PATH first, then Debian’s /usr/bin/chromium, then chromium-browser, then google-chrome on PATH', async () => {
    const everything = [
      '/opt/my/chrome',
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
    ];
    const env = (chosen?: string) => ({ PATH: '/usr/local/bin:/usr/bin', CHROMIUM_PATH: chosen });
    const found = (executables: string[], chosen?: string) =>
      ensureChromium(machine({ executables, env: env(chosen) }).fake);

    expect(await found(everything, '/opt/my/chrome')).toBe('/opt/my/chrome');
    expect(await found(everything)).toBe('/usr/bin/chromium');
    expect(await found(everything.slice(2))).toBe('/usr/bin/chromium-browser');
    expect(await found(['/usr/local/bin/google-chrome', '/usr/bin/google-chrome'])).toBe(
      '/usr/local/bin/google-chrome',
    );
  });

  it('refuses a CHROMIUM_PATH that is not an executable instead of quietly using another browser', async () => {
    const { fake, installs } = machine({
      executables: ['/usr/bin/chromium'],
      env: { CHROMIUM_PATH: '/opt/typo/chrome', PATH: '/usr/bin' },
    });
    expect(await failure(ensureChromium(fake))).toMatch(
      /^CHROMIUM_PATH is \/opt\/typo\/chrome, which is not/,
    );
    expect(installs()).toBe(0);
  });

  it('installs Debian’s chromium once, as root with apt-get, saying so in one line', async () => {
    const { fake, said, installs } = machine({ executables: ['/usr/bin/apt-get'] });
    expect(await ensureChromium(fake)).toBe('/usr/bin/chromium');
    expect(installs()).toBe(1);
    expect(said).toEqual([
      expect.stringMatching(/^Chromium not found: installing Debian’s chromium package/),
    ]);
    // The next run finds it.
    expect(await ensureChromium(fake)).toBe('/usr/bin/chromium');
    expect(installs()).toBe(1);
  });

  it('fails in one line naming what to install and CHROMIUM_PATH where apt-get cannot be used', async () => {
    for (const { fake, installs, said } of [
      machine({ executables: ['/usr/bin/apt-get'], isRoot: false }), // not root
      machine({ executables: [] }), // root, no apt-get (not Debian)
    ]) {
      const message = await failure(ensureChromium(fake));
      expect(message).toContain('apt-get install chromium');
      expect(message).toContain('CHROMIUM_PATH');
      expect(installs()).toBe(0);
      expect(said).toEqual([]);
    }
  });

  it('fails in one line, with apt-get’s reason, when the install fails or leaves no chromium', async () => {
    const offline = machine({
      executables: ['/usr/bin/apt-get'],
      install: () => Promise.reject(new Error('apt-get install: E: Unable to locate package chromium')),
    });
    const message = await failure(ensureChromium(offline.fake));
    expect(message).toMatch(
      /^Installing chromium with apt-get failed \(apt-get install: E: Unable to locate/,
    );
    expect(message).toContain('CHROMIUM_PATH');

    const elsewhere = machine({ executables: ['/usr/bin/apt-get'], install: async () => {} });
    expect(await failure(ensureChromium(elsewhere.fake))).toContain('set CHROMIUM_PATH');
  });
});
