// MetaImage and NRRD label maps against ITK's own readers and writers, through plastimatch
// (Debian's plastimatch: `convert` reads and writes both with ITK's MetaImageIO and
// NrrdImageIO): what medmask writes, ITK reads to the same voxels and geometry, and what ITK
// writes, medmask reads so; on random rotated grids and ITK-SNAP's own .mha and .gipl.gz. An oracle suite:
// it runs once, not per Node.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, type Space, loadMask, saveMetaImage, saveNrrd } from "../../src/node.js";
import { requireComponent } from "../helpers/component.js";
import { sha256, tempDir } from "../helpers/files.js";
import { hasOutside, outside } from "../helpers/outside.js";
import { rotatedSpaceArb } from "../helpers/spaces.js";

const hasPlastimatch = requireComponent("plastimatch", spawnSync("plastimatch", ["--version"]).status === 0, "apt-get install plastimatch");
const hashOf = (seg: SegmentationMask<string>): string => sha256(new Uint8Array(Uint32Array.from(seg.data).buffer));

/** ITK's conversion of `input` into `output` (plastimatch convert). */
function itkConvert(input: string, output: string): void {
  const r = spawnSync("plastimatch", ["convert", "--input", input, "--output-img", output], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`plastimatch convert ${input} -> ${output}: ${r.stderr || r.stdout}`);
}

/** A mask on `space` whose labels need `top` (16 bits when over 255), seeded by its size. */
function maskOn(space: Space, top: number): SegmentationMask<string> {
  const data = top > 255 ? new Uint16Array(space.voxelCount) : new Uint8Array(space.voxelCount);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 5 < 2 ? 0 : top - (i % 3);
  return new SegmentationMask(data, undefined, space);
}

describe.skipIf(!hasPlastimatch)("MetaImage and NRRD against ITK (plastimatch)", () => {
  it("random rotated grids: ITK reads medmask's .mha and .nrrd to the same voxels and grid, and medmask reads ITK's", async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(rotatedSpaceArb([6, 7, 8]), fc.constantFrom(9, 1000), fc.boolean(), async (space, top, compress) => {
        const seg = maskOn(space, top), k = n++;
        await saveMetaImage(seg, join(dir, `${k}.mha`), { compress });
        await saveNrrd(seg, join(dir, `${k}.nrrd`), { gzip: compress });
        // Each written by medmask, rewritten by ITK in the other format, read back by medmask.
        itkConvert(join(dir, `${k}.mha`), join(dir, `${k}-itk.nrrd`));
        itkConvert(join(dir, `${k}.nrrd`), join(dir, `${k}-itk.mha`));
        for (const theirs of [`${k}-itk.nrrd`, `${k}-itk.mha`]) {
          const back = await loadMask(join(dir, theirs));
          expect(hashOf(back), theirs).toBe(hashOf(seg));
          expect(back.space.equals(seg.space, 1e-6), `${theirs}: ${JSON.stringify(back.space)} vs ${JSON.stringify(seg.space)}`).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it.skipIf(!hasOutside).each(["itksnap/vb-seg.mha", "itksnap/MRIcrop-seg.gipl.gz"])("ITK-SNAP's %s: medmask reads it as ITK does (ITK's NRRD of it, read by medmask, is the same mask)", async (file) => {
    const dir = tempDir();
    itkConvert(outside(file), join(dir, "itk.nrrd"));
    const ours = await loadMask(outside(file)), itk = await loadMask(join(dir, "itk.nrrd"));
    expect(hashOf(ours)).toBe(hashOf(itk));
    expect(ours.space.equals(itk.space, 1e-9)).toBe(true);
  }, 120_000);
});
