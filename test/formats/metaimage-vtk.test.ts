// MetaImage against VTK's own reader and writer (Debian's python3-vtk9,
// test/helpers/vtk_metaimage.py): VTK reads medmask's .mha and .mhd (compressed or not) to the
// same voxels, dimensions, spacing and origin, and medmask reads VTK's files so. VTK's image
// has no orientation, so the grids here are axis-aligned (ITK's oracle, through plastimatch,
// holds rotated ones). An oracle suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, loadMask, saveMetaImage } from "../../src/node.js";
import { requireComponent } from "../helpers/component.js";
import { sha256, tempDir } from "../helpers/files.js";

const SCRIPT = fileURLToPath(new URL("../helpers/vtk_metaimage.py", import.meta.url));
const hasVtk = requireComponent("VTK", spawnSync("/usr/bin/python3", ["-c", "import vtk"]).status === 0, "apt-get install python3-vtk9");

function vtk<T>(request: object): T {
  const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

const hashOf = (seg: SegmentationMask<string>): string => sha256(new Uint8Array(Uint32Array.from(seg.data).buffer));

/** An axis-aligned grid whose x (the fastest axis) is the world's x, as VTK's images are. */
const space = new Space({ shape: [5, 6, 7], spacing: [2.5, 0.8, 0.6], origin: [-12.5, 30, 101.25], xOrientation: [0, 0, 1], yOrientation: [0, 1, 0], zOrientation: [1, 0, 0] });

function labels(top: number): SegmentationMask<string> {
  const data = top > 255 ? new Uint16Array(space.voxelCount) : new Uint8Array(space.voxelCount);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 7 < 3 ? 0 : top - (i % 4);
  return new SegmentationMask(data, undefined, space);
}

describe.skipIf(!hasVtk)("MetaImage against VTK", () => {
  it.each([[9, true, ".mha"], [9, false, ".mhd"], [3000, true, ".mhd"], [3000, false, ".mha"]] as const)("labels up to %i, compressed %s, %s: VTK reads medmask's file to the same voxels and grid", async (top, compress, ext) => {
    const dir = tempDir(), seg = labels(top), path = join(dir, `seg${ext}`);
    await saveMetaImage(seg, path, { compress });
    const theirs = vtk<{ dims: number[]; spacing: number[]; origin: number[]; sha256: string }>({ read: path });
    expect(theirs.dims).toStrictEqual([7, 6, 5]);
    theirs.spacing.forEach((v, k) => expect(v).toBeCloseTo([0.6, 0.8, 2.5][k]!, 6));
    theirs.origin.forEach((v, k) => expect(v).toBeCloseTo(space.origin[k]!, 6));
    expect(theirs.sha256).toBe(hashOf(seg));
  });

  it.each([[9, true], [3000, false]] as const)("VTK's .mha of labels up to %i (compressed %s): medmask reads the same voxels, each voxel where VTK puts it", async (top, compress) => {
    const dir = tempDir(), seg = labels(top);
    writeFileSync(join(dir, "in.raw"), new Uint8Array(seg.data.buffer, seg.data.byteOffset, seg.data.byteLength));
    vtk({ write: join(dir, "vtk.mha"), raw: join(dir, "in.raw"), dtype: top > 255 ? "<u2" : "u1", dims: [7, 6, 5], spacing: [0.6, 0.8, 2.5], origin: space.origin, compress });
    const back = await loadMask(join(dir, "vtk.mha"));
    expect(hashOf(back)).toBe(hashOf(seg));
    // Voxel (x 6, y 5, z 4) of VTK's image is at origin + (6 * 0.6, 5 * 0.8, 4 * 2.5).
    const corner = back.space.indexToWorld([4, 5, 6]);
    corner.forEach((v, k) => expect(v).toBeCloseTo(space.origin[k]! + [3.6, 4, 10][k]!, 5));
  });
});
