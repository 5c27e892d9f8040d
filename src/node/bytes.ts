/**
 * A Buffer's bytes as a plain Uint8Array whose ArrayBuffer no one else uses, so whoever gets
 * it may keep it (as a volume's voxels) or transfer its buffer: a view, except for a small
 * Buffer cut from Node's shared pool (`Buffer.allocUnsafe` under half the pool's size),
 * which is copied: a volume over the pool would keep it (and a transfer would detach it).
 * Larger Buffers have an ArrayBuffer of their own, if perhaps with spare bytes after them
 * (zlib's one output chunk of the declared size + 1), so the volume is never copied.
 */
export function ownBytes(buffer: Buffer): Uint8Array {
  const pooled = buffer.byteLength < Buffer.poolSize >>> 1 && buffer.byteLength !== buffer.buffer.byteLength;
  return pooled ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
