/** CLI outputs: scores.csv (workers/engine/scores-csv.ts, shared with the app) and file trees such as detector folders. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
export { collectScores, type ScorerColumn, scoresCsv } from '../workers/engine/scores-csv';

/** Write relative path → bytes under `dir` (e.g. a detector bundle). */
export async function writeFileTree(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [rel, bytes] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
}
