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
