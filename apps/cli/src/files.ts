import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ImportDatasetInput } from '@mergington/contract';
import { type Problem, type SourceFile } from './readers/legacy.ts';
import { checkLinesHeader, LINES_EXTENSIONS, readCanonicalLine } from './readers/lines.ts';

/** A line-delimited canonical file: read as a stream, never whole. */
export interface LinesFile {
  name: string;
  path: string;
}

const isLines = (name: string) => LINES_EXTENSIONS.some((extension) => name.endsWith(extension));

/**
 * The files named, folders walked in name order: JSON files read whole (the old app's files are small),
 * line-delimited canonical files (.jsonl, .ndjson) left to be streamed. Paths are relative to where the
 * user ran the command (pnpm runs scripts in the package's folder and passes that place as INIT_CWD).
 */
export async function readSourceFiles(
  paths: string[],
  cwd = process.env.INIT_CWD ?? process.cwd(),
): Promise<{ files: SourceFile[]; lines: LinesFile[] }> {
  const files: SourceFile[] = [];
  const lines: LinesFile[] = [];
  const add = async (name: string, path: string) => {
    if (isLines(name)) lines.push({ name, path });
    else files.push({ name, text: await readFile(path, 'utf8') });
  };
  for (const path of paths) {
    const full = resolve(cwd, path);
    if ((await stat(full)).isDirectory()) {
      const entries = (await readdir(full, { recursive: true }))
        .filter((entry) => entry.endsWith('.json') || isLines(entry))
        .sort();
      for (const entry of entries) await add(relative(cwd, join(full, entry)), join(full, entry));
    } else {
      await add(path, full);
    }
  }
  return { files, lines };
}

/** A lines file's records, or problems, one line at a time. */
export async function* readLinesFile(
  file: LinesFile,
): AsyncGenerator<{ table: keyof ImportDatasetInput; record: unknown } | { problems: Problem[] }> {
  const input = createInterface({ input: createReadStream(file.path), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const text of input) {
    lineNumber++;
    if (lineNumber === 1) {
      const problem = checkLinesHeader(file.name, text);
      if (problem) {
        yield { problems: [problem] };
        input.close();
        return;
      }
      continue;
    }
    const line = readCanonicalLine(file.name, lineNumber, text);
    if (line) yield line;
  }
  if (lineNumber === 0) yield { problems: [checkLinesHeader(file.name, '')!] };
}
