/**
 * A Buffer's bytes as a plain Uint8Array that owns all of its ArrayBuffer, so whoever gets it
 * may keep it (as a volume's voxels) or transfer its buffer: a view when the Buffer is the
 * whole of its ArrayBuffer (reads of known size, zlib's one-chunk outputs), else a copy.
 * Node hands out small Buffers (under 4 KiB) as slices of one shared pool, which must not
 * end up behind a mask: its `data.buffer` would be the pool.
 */
export function ownBytes(buffer: Buffer): Uint8Array {
  const whole = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
  return whole ? new Uint8Array(buffer.buffer, 0, buffer.byteLength) : new Uint8Array(buffer);
}
