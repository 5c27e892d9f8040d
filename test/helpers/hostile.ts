// Hostile files, built small in the test (never stored): bombs and files that claim huge
// memory. Shared by the hostile-file tests and the fuzz corpus.
import { gzipSync } from "node:zlib";
import { SegmentationMask, Space, encodeMask, niftiBytes, encodeSegNrrd } from "../../src/node.js";
import { rewriteNativeHeader } from "./native-file.js";

/** `gzip` with its trailer's size field set to `size` (a lying trailer). */
export function withTrailer(gzip: Uint8Array, size: number): Uint8Array {
  const out = gzip.slice();
  new DataView(out.buffer).setUint32(out.length - 4, size, true);
  return out;
}

/** A valid 2x2x2 NIfTI header, then `mib` MiB of zeros instead of 8 voxels, gzipped (honest trailer). */
export function niftiBomb(mib: number): Uint8Array {
  const header = niftiBytes(new Uint8Array(8), new Space({ shape: [2, 2, 2] }), { gzip: false }).subarray(0, 352);
  const raw = new Uint8Array(352 + mib * 2 ** 20);
  raw.set(header);
  return new Uint8Array(gzipSync(raw));
}

/** The header of a raw 10x10x10 `.seg.nrrd`, as text. */
function segNrrdHeader(): string {
  const good = encodeSegNrrd(new SegmentationMask(new Uint8Array(1000).fill(1), { a: 1 }, new Space({ shape: [10, 10, 10] })), { gzip: false });
  return new TextDecoder().decode(good.subarray(0, good.findIndex((b, i) => b === 10 && good[i + 1] === 10) + 2));
}

/** A `.seg.nrrd` for 1,000 voxels whose gzip data inflates to `mib` MiB, its trailer saying 8. */
export function segNrrdBomb(mib: number): Uint8Array {
  const head = segNrrdHeader().replace("encoding: raw", "encoding: gzip");
  return new Uint8Array([...new TextEncoder().encode(head), ...withTrailer(new Uint8Array(gzipSync(new Uint8Array(mib * 2 ** 20))), 8)]);
}

/** A 10 KB `.seg.nrrd` whose sizes declare 10^7 layers of 10x10x10. */
export function segNrrdLayerClaim(): Uint8Array {
  const layers = segNrrdHeader()
    .replace("dimension: 3", "dimension: 4")
    .replace(/sizes: (.*)/, "sizes: 10000000 $1")
    .replace(/space directions: /, "space directions: none ")
    .replace(/kinds: /, "kinds: list ");
  return new Uint8Array([...new TextEncoder().encode(layers), ...new Uint8Array(9000)]);
}

/** A .msk under 2 KB (all background, empty slabs) whose header declares 1024 x 2048 x 2048. */
export function hugeMsk(): Uint8Array {
  return rewriteNativeHeader(encodeMask(new SegmentationMask(new Uint8Array(1024), {}, new Space({ shape: [1024, 1, 1] }))), (h) => {
    (h.space as { shape: number[] }).shape = [1024, 2048, 2048];
  });
}
