// The platform choices the code's comments stand on, each measured beside its alternative
// on the real case in one run (`npm run bench platform`): the comments name these rows
// instead of carrying figures that rot.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, inflateRawSync, deflateRawSync, crc32 as zlibCrc32 } from "node:zlib";
import { gunzipSync as fflateGunzip, inflateSync as fflateInflate } from "fflate";
import { encodeMask } from "../dist/index.js";
import { jsKernels, wasmBackend } from "../dist/internals.js";
import { crc32Portable } from "../dist/codecs/crc32.js";
import { nodeZeroSearch } from "../dist/node/zero-search.js";
import { DATA_DIR, measure } from "./harness.mjs";

/** Rows of [choice, alternative]: what the code uses, what it was chosen over, ms each. */
export function platformRows(mask, masks) {
  const rows = [];
  const row = (name, used, other) => rows.push({ name, used: measure(`${name} (used)`, used.fn).mean, usedWhat: used.what, other: measure(`${name} (other)`, other.fn).mean, otherWhat: other.what });

  // The native codec's deflate step: zlib's inflate against fflate's, on one slab of the real mask.
  const slab = deflateRawSync(mask.data.subarray(0, 128 * 192 * 294), { level: 6 });
  const raw = 128 * 192 * 294;
  row("inflate deflated voxels of the real mask (codecs/deflate.ts)", { what: "zlib", fn: () => inflateRawSync(slab, { maxOutputLength: raw + 1, chunkSize: raw + 1 }) }, { what: "fflate", fn: () => fflateInflate(slab, { out: new Uint8Array(raw + 1) }) });
  row("inflate deflated voxels, zlib output chunk (node/deflate.ts)", { what: "one chunk", fn: () => inflateRawSync(slab, { maxOutputLength: raw + 1, chunkSize: raw + 1 }) }, { what: "zlib's 16 KiB chunks", fn: () => inflateRawSync(slab, { maxOutputLength: raw + 1 }) });

  // Checksums of a native file's slabs.
  const file = encodeMask(mask);
  row("CRC-32 of a native file (codecs/crc32.ts)", { what: "zlib", fn: () => zlibCrc32(file) }, { what: "portable JS (slicing-by-8)", fn: () => crc32Portable(file) });

  // A TotalSegmentator mask's .nii.gz.
  const nii = readFileSync(join(DATA_DIR, "liver.nii.gz"));
  row("gunzip a TotalSegmentator mask (codecs/gzip.ts)", { what: "zlib", fn: () => gunzipSync(nii) }, { what: "fflate", fn: () => fflateGunzip(nii) });

  // The background at a volume's ends: memcmp on the array against the kernels' copy-in search.
  const wasm = wasmBackend();
  row("background at the ends, 117 organ masks (kernels/zero-search.ts)", { what: "memcmp in place (Node)", fn: () => masks.forEach((m) => nodeZeroSearch.leadingZeros(m.data)) }, { what: "WASM kernels (copy in)", fn: () => masks.forEach((m) => wasm.occupied(m.data)) });

  // The largest value of a CT-sized int16-like volume (stored voxels narrowed to labels).
  const ct = new Uint16Array(512 * 512 * 300);
  for (let i = 0; i < ct.length; i += 97) ct[i] = i % 1000;
  row("largest value of a CT-sized uint16 volume (assembly/largest.ts)", { what: "WASM SIMD", fn: () => wasm.largest(ct) }, { what: "plain JS loop", fn: () => jsKernels.largest(ct) });

  // The native encoder's deflate level.
  row("encode the real mask: deflate level (formats/native/native.ts)", { what: "level 6", fn: () => encodeMask(mask, { level: 6 }) }, { what: "level 9", fn: () => encodeMask(mask, { level: 9 }) });
  return rows;
}
