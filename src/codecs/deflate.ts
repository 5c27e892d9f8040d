import { deflateSync, inflateSync } from "fflate";
import { platform, type Deflater } from "../platform.js";
export type { Deflater };

const fflate: Deflater = {
  deflate: (data, level) => deflateSync(data, { level: level as 6 }),
  // fflate stops silently at the end of `out`: a result as long as `out` may be cut short.
  inflate: (data, limit) => inflateSync(data, { out: new Uint8Array(limit) }),
};

/** The platform's deflate (zlib in Node), else fflate. */
const deflater = (): Deflater => platform().deflater ?? fflate;

export function deflateRaw(data: Uint8Array, level: number): Uint8Array {
  return deflater().deflate(data, level);
}

/** Inflates a stream that must hold exactly `length` bytes; anything else throws. */
export function inflateExactly(data: Uint8Array, length: number): Uint8Array {
  // One byte of headroom tells "exactly length" from "longer than length".
  const out = deflater().inflate(data, length + 1);
  if (out === "too long" || out.length > length) throw new RangeError(`inflates to more than ${length} bytes`);
  if (out.length !== length) throw new RangeError(`inflates to ${out.length} bytes, not ${length}`);
  return out;
}
