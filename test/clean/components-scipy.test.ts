// connectedComponents and keepLargestComponents against scipy's ndimage.label (Debian's
// python3-scipy, test/helpers/components_reference.py) with the 6, 18 and 26 structures, on
// the 117-organ case, both backends: every organ's component sizes, and the mask keeping
// each organ's largest piece voxel for voxel; fillHoles against binary_fill_holes. An oracle suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SegmentationMask, connectedComponents, fillHoles, keepLargestComponents } from "../../src/node.js";
import { hasScipy } from "../helpers/compare-reference.js";
import { sha256, tempDir } from "../helpers/files.js";
import { onRealCase } from "../helpers/real-case.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "../helpers/components_reference.py");

/** scipy's component sizes per label (largest first), and its mask keeping each label's largest. */
function scipyComponents(seg: SegmentationMask<string>, connectivity: number): { sizes: Record<string, number[]>; kept: Uint8Array; filled: Uint8Array } {
  const dir = tempDir();
  writeFileSync(join(dir, "in.raw"), seg.data as Uint8Array);
  const labels = seg.labelStats().filter((s) => s.voxels > 0).map((s) => s.label);
  const request = { path: join(dir, "in.raw"), keptPath: join(dir, "kept.raw"), filledPath: join(dir, "filled.raw"), dtype: "uint8", shape: seg.shape, labels, connectivity };
  const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return { sizes: JSON.parse(r.stdout) as Record<string, number[]>, kept: new Uint8Array(readFileSync(join(dir, "kept.raw"))), filled: new Uint8Array(readFileSync(join(dir, "filled.raw"))) };
}

describe.skipIf(!hasScipy)("components against scipy's ndimage.label", () => {
  onRealCase((real) => {

    it.each([6, 18, 26] as const)("the 117-organ case, connectivity %i: every organ's component sizes, keepLargestComponents (and at 6, fillHoles) voxel for voxel", (connectivity) => {
      const { sizes, kept, filled } = scipyComponents(real(), connectivity);
      // Every label in one pass (the 97 without voxels too), and each label present one name at a time.
      const all = connectedComponents(real(), undefined, { connectivity });
      for (const s of real().labelStats()) {
        const want = sizes[String(s.label)] ?? [];
        expect(all.get(s.name)!.components.map((c) => c.voxels), s.name).toEqual(want);
        if (s.voxels > 0) expect(connectedComponents(real(), s.name, { connectivity }).components.map((c) => c.voxels), s.name).toEqual(want);
      }
      expect(sha256(keepLargestComponents(real(), { connectivity }).data)).toBe(sha256(kept));
      if (connectivity === 6) expect(sha256(fillHoles(real()).data)).toBe(sha256(filled));
    }, 120_000);
  });
});
