import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Flushes a file or directory to disk (a directory's fsync makes the renames in it durable). */
async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some filesystems refuse fsync on a directory (EINVAL/EISDIR); the data itself is synced.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `file` and fsyncs it. */
async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const random = () => Math.random().toString(36).slice(2, 10);

/**
 * Writes `data` to `file` through a temporary file in the same directory and a
 * rename, so a reader sees either the old file or the whole new one. The file and its
 * directory are fsynced. If the write or the rename fails, the temporary file is removed
 * and the error is rethrown.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${random()}`;
  try {
    await writeSynced(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncPath(path.dirname(path.resolve(file)));
}

/** True when a process with this id runs (a save by it may still be under way). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what a killed `writeDirAtomic(dir)` left beside `dir` (`<dir>.saving-<pid>-*`,
 * `<dir>.replaced-<pid>-*`) and in it (`*.tmp-<pid>-*`), for processes no longer running.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(path.resolve(dir));
  const removed: string[] = [];
  const sweep = async (folder: string, pattern: RegExp) => {
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const m = pattern.exec(name);
      if (!m || alive(Number(m[1]))) continue;
      await fs.rm(path.join(folder, name), { recursive: true, force: true });
      removed.push(path.join(folder, name));
    }
  };
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await sweep(parent, new RegExp(`^${escaped}\\.(?:saving|replaced)-(\\d+)-[a-z0-9]+$`));
  await sweep(path.resolve(dir), /\.tmp-(\d+)-[a-z0-9]+$/);
  return removed;
}

/** True when every entry of `dir` is a regular file whose name is a key of `files`. */
async function onlyFilesNamed(dir: string, entries: string[], files: Record<string, unknown>): Promise<boolean> {
  for (const name of entries) {
    if (!(name in files) || !(await fs.lstat(path.join(dir, name))).isFile()) return false;
  }
  return true;
}

/**
 * Makes `dir` hold exactly `files` (name -> contents), appearing as a whole: the files are written
 * and fsynced in a sibling temporary directory, which is then renamed to `dir` (the parent is
 * fsynced). An existing `dir` holding only regular files named in `files` is first renamed aside and
 * removed after the swap; one holding anything else too (e.g. a run directory) keeps it, and each
 * of `files` is renamed in, in the given order (put the file that describes the others last).
 * Leftovers of a save that was killed are removed first (see `removeStaleTemps`).
 */
export async function writeDirAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true });
  await removeStaleTemps(target);
  const tmp = `${target}.saving-${process.pid}-${random()}`;
  await fs.mkdir(tmp);
  try {
    for (const [name, data] of Object.entries(files)) await writeSynced(path.join(tmp, name), data);
    await fsyncPath(tmp);
    const existing = await fs.readdir(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (existing === undefined) {
      await fs.rename(tmp, target);
    } else if (await onlyFilesNamed(target, existing, files)) {
      const aside = `${target}.replaced-${process.pid}-${random()}`;
      await fs.rename(target, aside);
      await fs.rename(tmp, target);
      await fs.rm(aside, { recursive: true, force: true });
    } else {
      for (const name of Object.keys(files)) await fs.rename(path.join(tmp, name), path.join(target, name));
      await fsyncPath(target);
      await fs.rm(tmp, { recursive: true, force: true });
    }
    await fsyncPath(parent);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
