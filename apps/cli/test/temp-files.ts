import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder holding the named files: strings as they are, anything else as JSON. */
export async function tempFiles(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mergington-import-'));
  for (const [name, value] of Object.entries(files))
    await writeFile(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return dir;
}
