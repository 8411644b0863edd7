/** Every typed array an IDX file can decode to. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** Element type names, one per IDX type byte. */
export type IdxTypeName = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A decoded IDX file: its element type, dimensions and the data in row-major order. */
export interface IdxArray<T extends IdxData = IdxData> {
  type: IdxTypeName;
  shape: number[];
  data: T;
}

interface TypedArrayConstructor<T extends IdxData> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** What one IDX element type is: its code in the magic number, size, and typed array class. */
export interface IdxTypeInfo {
  name: IdxTypeName;
  code: number;
  bytes: number;
  array: TypedArrayConstructor<IdxData>;
}

const table: IdxTypeInfo[] = [
  { name: 'uint8', code: 0x08, bytes: 1, array: Uint8Array },
  { name: 'int8', code: 0x09, bytes: 1, array: Int8Array },
  { name: 'int16', code: 0x0b, bytes: 2, array: Int16Array },
  { name: 'int32', code: 0x0c, bytes: 4, array: Int32Array },
  { name: 'float32', code: 0x0d, bytes: 4, array: Float32Array },
  { name: 'float64', code: 0x0e, bytes: 8, array: Float64Array },
];

/** The six IDX element types, in the order of their type bytes. */
export const IDX_TYPES: readonly IdxTypeInfo[] = table;

/** Looks up a type by its type byte (third byte of the magic number). */
export function idxTypeByCode(code: number): IdxTypeInfo | undefined {
  return table.find((t) => t.code === code);
}

/** Looks up a type by name. */
export function idxTypeByName(name: IdxTypeName): IdxTypeInfo {
  const info = table.find((t) => t.name === name);
  if (!info) throw new TypeError(`unknown IDX type name ${String(name)}`);
  return info;
}

/** Finds the IDX type of a typed array (by its class), or undefined for other arrays. */
export function idxTypeOfArray(data: ArrayBufferView): IdxTypeInfo | undefined {
  return table.find((t) => data instanceof t.array);
}

/** Formats a byte as `0x0B`. */
export function hexByte(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** True on little-endian hosts (all common ones): multi-byte IDX payloads must then be swapped. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
