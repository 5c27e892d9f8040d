// The scipy oracle of the comparison metrics (test/helpers/compare_reference.py, Debian's
// python3-scipy): skipped outside CI where scipy is missing; with CI=true it must run.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SegmentationMask } from "../../src/index.js";
import { requireComponent } from "./component.js";
import { tempDir } from "./files.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "compare_reference.py");
const PYTHONS = [process.env.MEDMASK_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => Boolean(p));
const python = PYTHONS.find((p) => spawnSync(p, ["-c", "import numpy, scipy.ndimage"]).status === 0) ?? null;

export const hasScipy = requireComponent("scipy", python !== null, "apt-get install python3-scipy python3-numpy");

/** What scipy gives for one pair of labels. */
export interface ScipyRow {
  voxelsA: number;
  voxelsB: number;
  intersection: number;
  empty?: boolean;
  dice?: number;
  jaccard?: number;
  hausdorff?: number;
  hd95?: number;
  assd?: number;
  nsd?: number;
}

/** scipy's metrics for `pairs` of labels ([label in a, label in b]) of two one-layer masks, and its time. */
export function scipyCompare(
  a: SegmentationMask<string>,
  b: SegmentationMask<string>,
  pairs: ReadonlyArray<readonly [number, number]>,
  options: { percentile?: number; tolerance?: number; crop?: boolean } = {},
): { rows: ScipyRow[]; seconds: number } {
  const dir = tempDir();
  const dtype = (m: SegmentationMask<string>) => `uint${m.data.BYTES_PER_ELEMENT * 8}`;
  writeFileSync(join(dir, "a.raw"), m8(a));
  writeFileSync(join(dir, "b.raw"), m8(b));
  const request = { a: join(dir, "a.raw"), b: join(dir, "b.raw"), dtypeA: dtype(a), dtypeB: dtype(b), shape: a.shape, spacing: a.space.spacing, pairs, ...options };
  const r = spawnSync(python!, [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`compare_reference.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { rows: ScipyRow[]; seconds: number };
}

const m8 = (m: SegmentationMask<string>) => new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
