import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors';

const MAGIC = 'CNNCKPT1';
const FORMAT = 'cnn-checkpoint';

interface TensorEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  format: string;
  version: number;
  meta: unknown;
  tensors: TensorEntry[];
}

/**
 * Writes named tensors and a JSON `meta` object to one file: the 8-byte magic `CNNCKPT1`, a
 * uint32 (little-endian) header length, the JSON header, then the raw tensor bytes. The file is
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
  const header: Header = { format: FORMAT, version: 1, meta, tensors: entries };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.byteLength, 8);

  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const part of [prefix, json, ...chunks]) fs.writeSync(fd, part);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
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
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as Header;
  } catch (err) {
    throw new CheckpointError(`checkpoint ${file}: header is not valid JSON (${(err as Error).message})`);
  }
  if (header.format !== FORMAT || header.version !== 1) {
    throw new CheckpointError(`checkpoint ${file}: format ${header.format} v${header.version}, expected ${FORMAT} v1`);
  }
  const dataStart = 12 + headerLength;
  const tensors: Record<string, tf.Tensor> = {};
  for (const e of header.tensors) {
    const end = dataStart + e.offset + e.byteLength;
    if (end > buf.byteLength) {
      for (const t of Object.values(tensors)) t.dispose();
      throw new CheckpointError(
        `checkpoint ${file}: tensor "${e.name}" ends at byte ${end} but the file has ${buf.byteLength} (truncated)`,
      );
    }
    const bytes = buf.subarray(dataStart + e.offset, end);
    const copy = new ArrayBuffer(e.byteLength);
    new Uint8Array(copy).set(bytes);
    const values = e.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    tensors[e.name] = tf.tensor(values, e.shape, e.dtype);
  }
  return { tensors, meta: header.meta };
}
