import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors';
import { FORMAT, type Header, type TensorEntry, validateHeader } from './checkpoint-header';

const MAGIC = 'CNNCKPT1';

/** The version `writeCheckpointFile` writes. */
export const CHECKPOINT_VERSION = 2;

function digest(header: Omit<Header, 'sha256'>, data: Uint8Array[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(header));
  for (const d of data) h.update(d);
  return h.digest('hex');
}

/**
 * Writes named tensors and a JSON `meta` object to one file: the 8-byte magic `CNNCKPT1`, a
 * uint32 (little-endian) header length, the JSON header (with, since version 2, the SHA-256 of the
 * header and the tensor bytes), then the raw tensor bytes, contiguous. The file is
 * written to `<path>.tmp-<pid>`, flushed to disk and renamed over `path`, so a crash at any
 * moment leaves either the previous checkpoint or the new one, never a torn file.
 */
export async function writeCheckpointFile(
  file: string,
  tensors: Record<string, tf.Tensor>,
  meta: unknown,
): Promise<void> {
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw new CheckpointError(`checkpoint: tensor "${name}" has dtype ${t.dtype}; only float32 and int32 are stored`);
    }
    const data = (await t.data()) as Float32Array | Int32Array;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    entries.push({ name, dtype: t.dtype, shape: [...t.shape], offset, byteLength: bytes.byteLength });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const body = { format: FORMAT, version: CHECKPOINT_VERSION, meta, tensors: entries };
  const header: Header = { ...body, sha256: digest(body, chunks) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.byteLength, 8);

  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  removeStaleTemps(file);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const part of [prefix, json, ...chunks]) fs.writeSync(fd, part);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(path.resolve(file)));
}

/** Removes `<file>.tmp-<pid>` files left by writers that were killed (their process is gone). */
function removeStaleTemps(file: string): void {
  const dir = path.dirname(path.resolve(file));
  const prefix = `${path.basename(file)}.tmp-`;
  for (const name of fs.readdirSync(dir)) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

/** Makes a rename in `dir` durable (skipped where a directory cannot be fsynced). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the file itself was fsynced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Reads a file written by `writeCheckpointFile`; the caller owns (and disposes) the tensors. */
export function readCheckpointFile(file: string): { tensors: Record<string, tf.Tensor>; meta: unknown } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new CheckpointError(`checkpoint ${file}: cannot read (${(err as Error).message})`);
  }
  if (buf.byteLength < 12 || buf.toString('latin1', 0, 8) !== MAGIC) {
    throw new CheckpointError(`checkpoint ${file}: not a checkpoint (expected magic "${MAGIC}" at byte 0)`);
  }
  const headerLength = buf.readUInt32LE(8);
  if (12 + headerLength > buf.byteLength) {
    throw new CheckpointError(
      `checkpoint ${file}: header claims ${headerLength} bytes but the file has ${buf.byteLength - 12} after the prefix`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(buf.toString('utf8', 12, 12 + headerLength));
  } catch (err) {
    throw new CheckpointError(`checkpoint ${file}: header is not valid JSON (${(err as Error).message})`);
  }
  const dataStart = 12 + headerLength;
  const header = validateHeader(file, raw, buf.byteLength - dataStart);
  if (header.version >= 2) {
    const { sha256, ...body } = header;
    if (digest(body, [buf.subarray(dataStart)]) !== sha256) {
      throw new CheckpointError(`checkpoint ${file}: content does not match its SHA-256 (corrupted or edited)`);
    }
  }
  const tensors: Record<string, tf.Tensor> = {};
  for (const e of header.tensors) {
    const copy = new ArrayBuffer(e.byteLength);
    new Uint8Array(copy).set(buf.subarray(dataStart + e.offset, dataStart + e.offset + e.byteLength));
    const values = e.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    tensors[e.name] = tf.tensor(values, e.shape, e.dtype);
  }
  return { tensors, meta: header.meta };
}
