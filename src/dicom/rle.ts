import { FormatError } from "../errors.js";

// DICOM RLE Lossless (PS3.5 annex G): a frame is one fragment, a 64-byte header of 16
// little-endian words (the segment count, then each segment's offset) followed by PackBits
// segments, one per byte of a sample, most significant byte first.

const bad = (message: string) => new FormatError("BAD_FORMAT", `Not a valid DICOM RLE frame: ${message}`);

/**
 * One RLE frame decoded to `frameBytes` bytes of little-endian samples of `bits` bits.
 * @example decodeRleFrame(fragment, rows * columns, 8)
 */
export function decodeRleFrame(fragment: Uint8Array, frameBytes: number, bits: number): Uint8Array {
  if (fragment.length < 64) throw bad(`it is ${fragment.length} bytes, shorter than its 64-byte header.`);
  const view = new DataView(fragment.buffer, fragment.byteOffset, fragment.byteLength);
  const count = view.getUint32(0, true);
  const bytesPerSample = bits / 8;
  if (count !== bytesPerSample) throw bad(`it has ${count} segments; ${bits}-bit samples need ${bytesPerSample}.`);
  const samples = frameBytes / bytesPerSample;
  const out = new Uint8Array(frameBytes);
  for (let s = 0; s < count; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < count ? view.getUint32(8 + 4 * s, true) : fragment.length;
    if (start < 64 || end > fragment.length || end < start) throw bad(`segment ${s + 1} lies at bytes ${start}..${end} of ${fragment.length}.`);
    // Segment 0 is the most significant byte; little-endian output puts it last.
    const decoded = decodePackBits(fragment.subarray(start, end), out, bytesPerSample - 1 - s, bytesPerSample, samples);
    // A short segment would leave pixels unset: read as background, silently (pydicom refuses too).
    if (decoded < samples) throw bad(`segment ${s + 1} decodes to ${decoded} of its ${samples} bytes.`);
  }
  return out;
}

/** PackBits into every `stride`-th byte of `out` from `offset`, at most `samples` of them; how many it wrote. */
function decodePackBits(src: Uint8Array, out: Uint8Array, offset: number, stride: number, samples: number): number {
  let i = 0, o = 0;
  while (i < src.length && o < samples) {
    const n = src[i++]!;
    if (n < 128) {
      const run = Math.min(n + 1, samples - o, src.length - i);
      for (let k = 0; k < run; k++) out[offset + (o + k) * stride] = src[i + k]!;
      i += n + 1;
      o += run;
    } else if (n > 128) {
      if (i >= src.length) break;
      const v = src[i++]!;
      const run = Math.min(257 - n, samples - o);
      for (let k = 0; k < run; k++) out[offset + (o + k) * stride] = v;
      o += run;
    }
  }
  return o;
}
