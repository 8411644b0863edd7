// Shared by the wasm SIMD kernels (see build notes in scripts/build-wasm.mjs).
//
// The kernels form one small WebAssembly module (SIMD128) that imports tfjs-backend-wasm's own
// memory: every pointer is a byte offset of a tensor on that heap, so nothing is copied in or out.
//
// The module must own no memory: no data segments, no stack (scripts/build-wasm.mjs checks the
// first and links a stack of zero bytes, so any use of it traps), since anything it placed in the
// imported memory would overwrite tfjs's heap. Hence no libc, no arrays on the stack, no static
// data.
//
// Every float operation is one IEEE float32 operation in the order the JavaScript loops and the
// composite tfjs ops use (no fused multiply-add, no reassociation), so results are bit-identical.
#pragma once

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

typedef float f32;

// Sixteen float32 accumulators in four vectors (kept in registers once inlined).
typedef struct {
  v128_t v0, v1, v2, v3;
} f32x16;

static inline f32x16 f32x16_zero(void) {
  const v128_t z = wasm_f32x4_splat(0);
  return (f32x16){z, z, z, z};
}

// acc + s * from[0 .. 16), one multiply and one add per element (no fusion).
static inline f32x16 f32x16_add_scaled(f32x16 acc, v128_t s, const f32 *from) {
  acc.v0 = wasm_f32x4_add(acc.v0, wasm_f32x4_mul(s, wasm_v128_load(from)));
  acc.v1 = wasm_f32x4_add(acc.v1, wasm_f32x4_mul(s, wasm_v128_load(from + 4)));
  acc.v2 = wasm_f32x4_add(acc.v2, wasm_f32x4_mul(s, wasm_v128_load(from + 8)));
  acc.v3 = wasm_f32x4_add(acc.v3, wasm_f32x4_mul(s, wasm_v128_load(from + 12)));
  return acc;
}

static inline void f32x16_store(f32 *to, f32x16 acc) {
  wasm_v128_store(to, acc.v0);
  wasm_v128_store(to + 4, acc.v1);
  wasm_v128_store(to + 8, acc.v2);
  wasm_v128_store(to + 12, acc.v3);
}
