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
