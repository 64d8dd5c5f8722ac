// The browser tests' Chromium, found (or installed once) before any test file starts. This file is a vitest
// globalSetup: a machine without Chromium gets one line saying what to do, never playwright's launch error.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium executable the browser tests launch (`inject('chromiumPath')`). */
    chromiumPath: string;
  }
}

/** Debian's package, where `apt-get install chromium` puts it. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** Looked up on PATH after Debian's path: other distributions' Chromium, then Google's Chrome. */
const ON_PATH = ['chromium-browser', 'google-chrome'];

/** What the lookup reads from the machine and may do to it; the tests pass a fake one. */
export interface Machine {
  env: { CHROMIUM_PATH?: string; PATH?: string };
  isRoot: boolean;
  isExecutable(path: string): boolean;
  /** Installs Debian's `chromium` package; rejects with a one-line reason. */
  installChromium(): Promise<void>;
  say(line: string): void;
}

/** A missing Chromium, told in one line. */
export class ChromiumMissing extends Error {}

const WHAT_TO_DO =
  'install Chromium (Debian: `apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable';

/**
 * `CHROMIUM_PATH`, Debian's `/usr/bin/chromium`, then `chromium-browser` or `google-chrome` on PATH. Where none
 * is found and apt-get can be used (root, apt-get on PATH), installs Debian's `chromium` saying so in one line.
 */
export async function ensureChromium(machine: Machine = thisMachine()): Promise<string> {
  const found = findChromium(machine);
  if (found) return found;
  if (!machine.isRoot || !onPath(machine, 'apt-get'))
    throw new ChromiumMissing(`The browser tests need Chromium: ${WHAT_TO_DO}.`);
  machine.say(
    'Chromium not found: installing Debian’s chromium package for the browser tests (apt-get, once).',
  );
  try {
    await machine.installChromium();
  } catch (error) {
    throw new ChromiumMissing(
      `Installing chromium with apt-get failed (${(error as Error).message}): ${WHAT_TO_DO}.`,
    );
  }
  const installed = findChromium(machine);
  if (!installed)
    throw new ChromiumMissing(
      `apt-get installed chromium, but ${DEBIAN_CHROMIUM} is not there: set CHROMIUM_PATH.`,
    );
  return installed;
}

function findChromium(machine: Machine): string | undefined {
  const chosen = machine.env.CHROMIUM_PATH;
  if (chosen) {
    // A path someone chose is never replaced by another browser behind their back.
    if (machine.isExecutable(chosen)) return chosen;
    throw new ChromiumMissing(`CHROMIUM_PATH is ${chosen}, which is not an executable file: ${WHAT_TO_DO}.`);
  }
  if (machine.isExecutable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  for (const name of ON_PATH) {
    const path = onPath(machine, name);
    if (path) return path;
  }
  return undefined;
}

function onPath(machine: Machine, name: string): string | undefined {
  return (machine.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((folder) => join(folder, name))
    .find((path) => machine.isExecutable(path));
}

function thisMachine(): Machine {
  return {
    env: process.env,
    isRoot: process.getuid?.() === 0,
    isExecutable(path) {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    async installChromium() {
      await aptGet(['update', '-qq']);
      await aptGet(['install', '-y', '-qq', 'chromium']);
    },
    say: (line) => console.log(line),
  };
}

/** Runs apt-get without questions; rejects with the last line it wrote to stderr. */
function aptGet(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const reason = stderr.trim().split('\n').at(-1) || `exit code ${code}`;
      if (code === 0) resolve();
      else reject(new Error(`apt-get ${args[0]}: ${reason}`));
    });
  });
}

/**
 * vitest globalSetup: every browser test file launches the Chromium found here. Without one, the run stops
 * with the one line saying what to do (a thrown error would come under vitest's "No test files found").
 */
export async function setup(project: TestProject) {
  try {
    project.provide('chromiumPath', await ensureChromium());
  } catch (error) {
    if (!(error instanceof ChromiumMissing)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
