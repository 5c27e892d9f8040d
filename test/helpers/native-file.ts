import { FOOTER_BYTES, decodeFooter } from "../../src/formats/native/archive-layout.js";
import { deflateRaw, inflateExactly } from "../../src/codecs/deflate.js";
import { crc32 } from "../../src/index.js";

/**
 * Rewrites the header JSON of a native mask file with `edit`, keeping its length and CRC
 * valid, so tests reach the checks behind the checksum.
 */
export function rewriteNativeHeader(bytes: Uint8Array, edit: (header: Record<string, unknown>) => void): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + length))) as Record<string, unknown>;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(16 + json.length + bytes.length - 16 - length);
  out.set(bytes.subarray(0, 16));
  out.set(json, 16);
  out.set(bytes.subarray(16 + length), 16 + json.length);
  const view = new DataView(out.buffer);
  view.setUint32(8, json.length, true);
  view.setUint32(12, crc32(json), true);
  return out;
}

/**
 * Rewrites the index JSON of a native archive with `edit`, keeping the footer (offset,
 * length, CRCs) valid, so tests reach the checks behind the checksums.
 */
export function rewriteArchiveIndex(bytes: Uint8Array, edit: (index: Record<string, unknown>) => void): Uint8Array {
  const footer = decodeFooter(bytes.subarray(bytes.length - FOOTER_BYTES), bytes.length, bytes[4]);
  const stored = bytes.subarray(footer.indexOffset, footer.indexOffset + footer.indexLength);
  const index = JSON.parse(new TextDecoder().decode(footer.rawLength > 0 ? inflateExactly(stored, footer.rawLength) : stored)) as Record<string, unknown>;
  edit(index);
  return replaceArchiveIndex(bytes, new TextEncoder().encode(JSON.stringify(index)));
}

/**
 * A native archive with its index's bytes replaced by `plain` (stored as the original was:
 * deflated or not), the footer (offset, length, CRCs) kept valid.
 */
export function replaceArchiveIndex(bytes: Uint8Array, plain: Uint8Array): Uint8Array {
  const footer = decodeFooter(bytes.subarray(bytes.length - FOOTER_BYTES), bytes.length, bytes[4]);
  // The footer keeps its entry count (an edit may break the entry list: that is the point).
  const json = footer.rawLength > 0 ? deflateRaw(plain, 6) : plain;
  const out = new Uint8Array(footer.indexOffset + json.length + FOOTER_BYTES);
  out.set(bytes.subarray(0, footer.indexOffset));
  out.set(json, footer.indexOffset);
  const at = footer.indexOffset + json.length;
  out.set(bytes.subarray(bytes.length - FOOTER_BYTES), at);
  const view = new DataView(out.buffer, at, FOOTER_BYTES);
  view.setUint32(8, json.length, true);
  view.setUint32(12, crc32(json), true);
  if (footer.rawLength > 0) view.setUint32(20, plain.length, true);
  view.setUint32(28, crc32(out.subarray(at, at + 28)), true);
  return out;
}
