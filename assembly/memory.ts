// Raw allocation for the JS side: the boundary module (src/kernels/wasm.ts) owns every
// pointer and frees what it allocates; no GC object ever crosses the boundary.

/** Allocates `size` bytes (16-byte aligned by TLSF) and returns the pointer. */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** Frees a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
