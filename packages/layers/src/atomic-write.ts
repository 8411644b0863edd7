import { promises as fs } from 'node:fs';

/**
 * Writes `data` to `file` through a temporary file in the same directory and a
 * rename, so a reader sees either the old file or the whole new one. If the write
 * or the rename fails, the temporary file is removed and the error is rethrown.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
