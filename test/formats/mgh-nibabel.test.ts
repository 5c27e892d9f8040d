// FreeSurfer MGH / MGZ both ways (SPEC section 18), against nibabel (Debian's
// python3-nibabel, test/helpers/nibabel_peer.py): files nibabel writes (uchar, short, int
// and float voxels, rotated affines) read here with the same voxels and affine; files written
// here read by nibabel the same way; the real aparc+aseg.mgz NiiVue ships opens by content.
// An oracle suite: it runs once, not per Node (mgh.test.ts holds the refusals).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeMgh, loadMask, loadMgh, saveMgh } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { requireComponent } from "../helpers/component.js";
import { sha256, tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";
import { randomBalls } from "../helpers/volumes.js";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../helpers/nibabel_peer.py", import.meta.url));
const hasNibabel = requireComponent("nibabel", spawnSync("/usr/bin/python3", ["-c", "import nibabel"]).status === 0, "apt-get install python3-nibabel");

function nibabel<T>(request: object): T {
  const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** A mask's voxels as nibabel's answer hashes them: little-endian uint32, x fastest. */
const hashOf = (seg: SegmentationMask<string>): string => sha256(new Uint8Array(Uint32Array.from(seg.data).buffer));

/** The RAS affine of NIfTI / nibabel (i, j, k) = (x, y, z) indices. */
const closeAffine = (a: number[][], b: number[][]): void => a.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - b[r]![c]!), `affine[${r}][${c}] ${v} vs ${b[r]![c]}`).toBeLessThan(1e-3)));

const space = new Space({ shape: [9, 11, 13], spacing: [1.2, 0.9, 1.1], origin: [-40, 25, 60] }).applyRotate(0, 20).applyRotate(2, -35);

describe.skipIf(!hasNibabel)("FreeSurfer MGH against nibabel", () => {
  it.each([["uint8", 200], ["int16", 3000], ["int32", 70000], ["float32", 40]] as const)("nibabel's %s .mgz and .mgh read here: voxels and affine", (dtype, top) => {
    const dir = tempDir();
    const data = Uint32Array.from(randomBalls(space.shape, 7, { count: 5, minRadius: 2, spread: 3 }), (v) => (v ? top - v : 0));
    writeFileSync(join(dir, "in.raw"), new Uint8Array(data.buffer));
    for (const name of ["a.mgz", "a.mgh"]) {
      const path = join(dir, name);
      nibabel({ op: "write", path, raw: join(dir, "in.raw"), dtype, dims: [...space.shape].reverse(), affine: space.rasAffine });
      const seg = decodeMgh(new Uint8Array(readFileSync(path)));
      expect(seg.shape).toEqual(space.shape);
      expect(hashOf(seg)).toBe(sha256(new Uint8Array(data.buffer)));
      closeAffine(seg.space.rasAffine, space.rasAffine);
    }
  });

  it("written here, read by nibabel: the same voxels and affine, uchar and int", async () => {
    const dir = tempDir();
    for (const top of [9, 40000]) {
      const seg = new SegmentationMask(Uint32Array.from(randomBalls(space.shape, 3, { count: 4, minRadius: 2, spread: 3 }), (v) => (v ? top - v : 0)), undefined, space);
      for (const name of ["b.mgz", "b.mgh"]) {
        const path = join(dir, `${top}-${name}`);
        await saveMgh(seg, path, { gzip: name.endsWith(".mgz") });
        const theirs = nibabel<{ shape: number[]; affine: number[][]; sha256: string }>({ op: "read", path });
        expect(theirs.shape).toEqual([...space.shape].reverse());
        expect(theirs.sha256).toBe(hashOf(seg));
        closeAffine(theirs.affine, space.rasAffine);
        expect(hashOf(await loadMgh(path))).toBe(hashOf(seg));
      }
    }
  });

  it.skipIf(!hasOutside)("NiiVue's aparc.a2009s+aseg.mgz opens by content (loadMask and the CLI), as nibabel reads it", async () => {
    const path = outside("niivue/aparc.a2009s+aseg.mgz");
    const seg = await loadMask(path);
    const theirs = nibabel<{ affine: number[][]; sha256: string; labels: number }>({ op: "read", path });
    expect(hashOf(seg)).toBe(theirs.sha256);
    expect(seg.labelStats().length + 1).toBe(theirs.labels);
    closeAffine(seg.space.rasAffine, theirs.affine);
    const dir = tempDir();
    const r = medmask("convert", path, join(dir, "aseg.msk"));
    expect(r.code, r.stderr).toBe(0);
    expect(hashOf(await loadMask(join(dir, "aseg.msk")))).toBe(theirs.sha256);
  });
});
