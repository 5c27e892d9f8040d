// The NRRD writer both NRRD formats share (SPEC section 18): a plain label map (nrrd.ts) and
// a 3D Slicer segmentation (seg-nrrd/), which adds its segments as key/value pairs. NRRD
// axes are listed fastest first (x, y, z); medmask's are (z, y, x).
import { LITTLE_ENDIAN, bitDepthFor, labelArrayType, type BitDepth, type LabelArray } from "../../bitdepth.js";
import { gzip } from "../../codecs/gzip.js";
import type { Space } from "../../space.js";

/** The NRRD type and bytes of each label bit depth. */
const NRRD_LABEL_TYPES = { 8: ["unsigned char", 1], 16: ["unsigned short", 2], 32: ["unsigned int", 4] } as const;

function vector(v: readonly number[]): string {
  return `(${v.map((x) => String(x)).join(",")})`;
}

/**
 * An NRRD file of `layers` on `space` (LPS; a 4-D file, layers first, for several), of the
 * narrowest unsigned type that holds `top`, with `pairs` as `key:=value` lines, the voxels
 * gzip-compressed unless `compress` is false.
 */
export function nrrdFile(space: Space, layers: readonly LabelArray[], top: number, pairs: ReadonlyArray<readonly [string, string]>, compress: boolean): Uint8Array {
  const xyz = space.reverseAxisOrder();
  const dirs = [xyz.xOrientation, xyz.yOrientation, xyz.zOrientation].map((o, i) => o.map((v) => v * xyz.spacing[i]!));
  const [type, size] = NRRD_LABEL_TYPES[bitDepthFor(top)];
  const layered = layers.length > 1;
  const lines = [
    "NRRD0004",
    "# Complete NRRD file format specification at:",
    "# http://teem.sourceforge.net/nrrd/format.html",
    `type: ${type}`,
    `dimension: ${layered ? 4 : 3}`,
    "space: left-posterior-superior",
    `sizes: ${layered ? `${layers.length} ` : ""}${xyz.shape.join(" ")}`,
    `space directions: ${layered ? "none " : ""}${dirs.map(vector).join(" ")}`,
    `kinds: ${layered ? "list " : ""}domain domain domain`,
    `endian: ${LITTLE_ENDIAN ? "little" : "big"}`,
    `encoding: ${compress ? "gzip" : "raw"}`,
    `space origin: ${vector(xyz.origin)}`,
  ];
  const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  const header = new TextEncoder().encode([...lines, ...pairs.map(([k, v]) => `${k}:=${escape(v)}`)].join("\n") + "\n\n");
  const count = space.voxelCount;
  // In the platform's byte order, which the header's "endian" names; layers interleaved,
  // the layer axis fastest. Labels fit `type` (it was chosen from the largest).
  const body = new (labelArrayType((size * 8) as BitDepth))(count * layers.length);
  if (layers.length === 1) body.set(layers[0]!);
  else layers.forEach((layer, l) => {
    for (let i = 0, j = l; i < count; i++, j += layers.length) body[j] = layer[i]!;
  });
  const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const payload = compress ? gzip(bytes, 6) : bytes;
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}
