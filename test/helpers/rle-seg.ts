// A BINARY DICOM SEG in RLE Lossless, made from one of medmask's own: pydicom cannot encode
// 1-bit frames in RLE, so the frames are PackBits-encoded here, one fragment each.
import { encodeDicomSeg, type SegmentationMask } from "../../src/node.js";
import { concatBytes } from "../../src/sources/bytes.js";
import { itemOf } from "../../src/dicom/write.js";

const EXPLICIT = "1.2.840.10008.1.2.1";
const RLE = "1.2.840.10008.1.2.5";

/** PackBits (PS3.5 G.3.1): a replicate run for 3 or more equal bytes, else literals. */
export function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let run = 1;
    while (i + run < bytes.length && run < 128 && bytes[i + run] === bytes[i]) run++;
    if (run >= 3) {
      out.push(257 - run, bytes[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < bytes.length && i - start < 128 && !(i + 2 < bytes.length && bytes[i] === bytes[i + 1] && bytes[i] === bytes[i + 2])) i++;
    out.push(i - start - 1, ...bytes.subarray(start, i));
  }
  return Uint8Array.from(out);
}

/** One RLE frame: the 64-byte header (one segment) and its PackBits bytes. */
export function rleFrame(segment: Uint8Array): Uint8Array {
  const out = new Uint8Array(64 + segment.length + (segment.length % 2));
  const view = new DataView(out.buffer);
  view.setUint32(0, 1, true);
  view.setUint32(4, 64, true);
  out.set(segment, 64);
  return out;
}

/**
 * `encodeDicomSeg(seg)` with its packed frames re-stored as RLE fragments (rows x columns
 * must be a multiple of 8, so frames start on byte boundaries), and the transfer syntax UID
 * (of the same length) changed to RLE Lossless.
 */
export function rleSeg(seg: SegmentationMask<string>, frameBytes: number, edit: (frame: Uint8Array) => Uint8Array = (f) => rleFrame(packBits(f))): Uint8Array {
  const plain = encodeDicomSeg(seg);
  // PixelData (7FE0,0010) OB is the last element: its 12-byte header, then the bits.
  let at = plain.length;
  for (let p = plain.length - 12; p >= 0; p--) {
    if (plain[p] === 0xe0 && plain[p + 1] === 0x7f && plain[p + 2] === 0x10 && plain[p + 3] === 0x00 && plain[p + 4] === 0x4f && plain[p + 5] === 0x42) {
      at = p;
      break;
    }
  }
  const bits = plain.subarray(at + 12);
  const frames = Math.round(new DataView(plain.buffer, plain.byteOffset + at + 8, 4).getUint32(0, true) / frameBytes);
  const items: Uint8Array[] = [itemOf(new Uint8Array(0))];
  for (let f = 0; f < frames; f++) items.push(itemOf(edit(bits.subarray(f * frameBytes, (f + 1) * frameBytes))));
  const tail = Uint8Array.of(0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0);
  const header = Uint8Array.of(0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff);
  const out = concatBytes([plain.subarray(0, at), header, ...items, tail]);
  // The transfer syntax UID in the meta group: the same length, so nothing moves.
  const text = new TextDecoder("latin1").decode(out.subarray(0, 400));
  const uid = text.indexOf(EXPLICIT + "\0");
  if (uid < 0) throw new Error("no explicit VR little endian UID in the meta group");
  out.set(new TextEncoder().encode(RLE), uid);
  return out;
}
