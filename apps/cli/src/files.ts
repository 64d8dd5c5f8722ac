import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { SourceFile } from '@mergington/db/import';

/**
 * The JSON files named, folders walked in name order. Paths are relative to where the user ran the
 * command (pnpm runs scripts in the package's folder and passes that place as INIT_CWD).
 */
export async function readSourceFiles(
  paths: string[],
  cwd = process.env.INIT_CWD ?? process.cwd(),
): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const path of paths) {
    const full = resolve(cwd, path);
    if ((await stat(full)).isDirectory()) {
      const entries = (await readdir(full, { recursive: true }))
        .filter((entry) => entry.endsWith('.json'))
        .sort();
      for (const entry of entries)
        files.push({
          name: relative(cwd, join(full, entry)),
          text: await readFile(join(full, entry), 'utf8'),
        });
    } else {
      files.push({ name: path, text: await readFile(full, 'utf8') });
    }
  }
  return files;
}
