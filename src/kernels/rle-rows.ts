// The "rle-rows" stream's layout, shared by the JS backend, the WASM adapter and the native
// format's bounds (assembly/codec.ts writes the same; its HEAD is this number).

/** Bytes before the rle-rows streams: rows, nx and the three stream lengths (u32 each). */
export const RLE_HEAD = 20;
