// A CT series and an RT Structure Set of every kind of structure, written with pydicom
// (test/helpers/rtstruct_peer.py), and each structure's voxels from the definition: what the
// RT Structure Set tests read.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Space } from "../../src/index.js";
import { requireComponent } from "./component.js";
import { tempDir } from "./files.js";

const PEER = fileURLToPath(new URL("./rtstruct_peer.py", import.meta.url));
export const hasPydicom = requireComponent("pydicom", spawnSync("/usr/bin/python3", ["-c", "import pydicom"]).status === 0, "apt-get install python3-pydicom");

export function peer(request: object): unknown {
  const r = spawnSync("/usr/bin/python3", [PEER], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as unknown;
}

/** A structure set as pydicom reads it (test/helpers/rtstruct_peer.py "read"). */
export interface PydicomRtStruct {
  syntax: string;
  modality: string;
  study: string;
  frameOfReference: string;
  referencedFrame: string;
  patientId: string;
  images: string[];
  rois: { number: number; name: string; type: string; frameOfReference: string; color: number[]; contours: { type: string; points: number; data: number; z: number; image: string | null }[] }[];
}

/** `path` read by pydicom. */
export const pydicomRtStruct = (path: string): PydicomRtStruct => peer({ read: path }) as PydicomRtStruct;

/** The CT's grid: 12 axial slices of 40 x 48, identity orientation. */
export const CT = { rows: 40, columns: 48, slices: 12, spacing: [0.8, 0.9], thickness: 2.5, origin: [-20, -15, 30], orientation: [1, 0, 0, 0, 1, 0], frameOfReference: "1.2.826.0.1.3680043.8.498.1", study: "1.2.826.0.1.3680043.8.498.2", series: "1.2.826.0.1.3680043.8.498.3" };
export const space = new Space({
  shape: [CT.slices, CT.rows, CT.columns],
  spacing: [CT.thickness, CT.spacing[0]!, CT.spacing[1]!],
  origin: CT.origin as [number, number, number],
  xOrientation: [0, 0, 1],
  yOrientation: [0, 1, 0],
  zOrientation: [1, 0, 0],
});

/** A circle of radius r (mm) around (cx, cy) on slice k, as contour points (x, y, z in mm). */
const circle = (cx: number, cy: number, r: number, k: number, n = 24): number[] =>
  Array.from({ length: n }, (_, p) => [cx + r * Math.cos((2 * Math.PI * p) / n), cy + r * Math.sin((2 * Math.PI * p) / n), CT.origin[2]! + k * CT.thickness]).flat();

/** The structures: every kind a structure set holds. */
export const ROIS = [
  { number: 1, name: "Ball", color: [255, 0, 0], type: "ORGAN", contours: [2, 3, 4, 5, 6].map((k) => ({ type: "CLOSED_PLANAR", points: circle(-4, 2, 2 + 4 * Math.sin((Math.PI * (k - 1)) / 6), k) })) },
  { number: 2, name: "Ring", color: [0, 255, 0], type: "PTV", contours: [3, 4, 5].flatMap((k) => [{ type: "CLOSED_PLANAR", points: circle(12, -5, 7, k) }, { type: "CLOSED_PLANAR", points: circle(12, -5, 3, k) }]) },
  { number: 5, name: "Kidneys", color: [0, 0, 255], type: "ORGAN", contours: [7, 8].flatMap((k) => [{ type: "CLOSED_PLANAR", points: circle(-12, 10, 3, k) }, { type: "CLOSED_PLANAR", points: circle(4, 10, 3, k) }]) },
  { number: 7, name: "GTV", color: [255, 255, 0], type: "GTV", contours: [4, 5].map((k) => ({ type: "CLOSED_PLANAR", points: circle(-2, 2, 3, k) })) },
  { number: 9, name: "Marker", color: [255, 0, 255], type: "MARKER", contours: [{ type: "POINT", points: [0, 0, CT.origin[2]! + 5 * CT.thickness] }, { type: "OPEN_PLANAR", points: circle(0, 0, 5, 9).slice(0, 15) }] },
];

/** The definition: a voxel is in a structure when its centre is inside an odd number of the structure's contours on its slice. */
export function expected(roi: (typeof ROIS)[number]): Uint8Array {
  const out = new Uint8Array(space.voxelCount);
  for (const c of roi.contours) {
    if (c.type !== "CLOSED_PLANAR") continue;
    const k = Math.round((c.points[2]! - CT.origin[2]!) / CT.thickness), n = c.points.length / 3;
    for (let j = 0; j < CT.rows; j++)
      for (let i = 0; i < CT.columns; i++) {
        const x = CT.origin[0]! + i * CT.spacing[1]!, y = CT.origin[1]! + j * CT.spacing[0]!;
        let odd = false;
        for (let e = 0; e < n; e++) {
          const f = (e + 1) % n, [x0, y0, x1, y1] = [c.points[3 * e]!, c.points[3 * e + 1]!, c.points[3 * f]!, c.points[3 * f + 1]!];
          if (Math.min(y0, y1) <= y && y < Math.max(y0, y1) && x0 + ((y - y0) * (x1 - x0)) / (y1 - y0) > x) odd = !odd;
        }
        const at = (k * CT.rows + j) * CT.columns + i;
        if (odd) out[at] = out[at]! ^ 1;
      }
  }
  return out;
}

/** Writes the CT and the structure set into a folder of its own: the CT's files' bytes and the structure set's. */
export function writeCase(rois = ROIS): { dir: string; ct: Uint8Array[]; rtstruct: Uint8Array } {
  const dir = tempDir();
  peer({ ct: join(dir, "ct"), ...CT });
  peer({ rtstruct: join(dir, "rs.dcm"), ct: join(dir, "ct"), frameOfReference: CT.frameOfReference, study: CT.study, rois });
  const files = readdirSync(join(dir, "ct")).sort();
  return { dir, ct: files.map((f) => new Uint8Array(readFileSync(join(dir, "ct", f)))), rtstruct: new Uint8Array(readFileSync(join(dir, "rs.dcm"))) };
}
