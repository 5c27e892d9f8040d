// `medmask compare A B`: the table, --csv and --json, on masks numbered differently.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, compareMasks, encodeMask } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { tempDir } from "../helpers/files.js";

describe("medmask compare", () => {
  const space = new Space({ shape: [4, 10, 10], spacing: [2, 1, 1] });
  const data = new Uint8Array(400).fill(1, 0, 120).fill(2, 200, 260);
  const truth = new SegmentationMask(data, { liver: 1, spleen: 2, pancreas: 3 }, space);
  const shifted = data.map((v, i) => (i >= 5 && data[i - 5] === 1 ? 9 : v === 2 ? 4 : 0));
  const prediction = new SegmentationMask(shifted, { spleen: 4, liver: 9 }, space);
  const dir = tempDir();
  writeFileSync(join(dir, "truth.msk"), encodeMask(truth));
  writeFileSync(join(dir, "pred.msk"), encodeMask(prediction));
  const rows = compareMasks(truth, prediction);

  it("prints a table per organ paired by name (Dice, HD95, ASSD, NSD, volumes), leaving out names empty in both", () => {
    const r = medmask("compare", join(dir, "truth.msk"), join(dir, "pred.msk"));
    expect(r.code, r.stderr).toBe(0);
    const liver = rows.find((x) => x.name === "liver")!;
    expect(r.stdout).toMatch(new RegExp(`^liver\\s+${liver.dice.toFixed(4)}\\s+${liver.hd95.toFixed(2)}\\s+${liver.assd.toFixed(2)}\\s+${liver.nsd.toFixed(4)}\\s+${(liver.voxelsA * 0.002).toFixed(3)}\\s+${(liver.voxelsB * 0.002).toFixed(3)}`, "m"));
    expect(r.stdout).toMatch(/^spleen\s+1\.0000\s+0\.00\s+0\.00\s+1\.0000/m);
    expect(r.stdout).toMatch(/1 name\(s\) with no voxel in either mask left out/);
    expect(r.stdout).not.toMatch(/^pancreas/m);
  });

  it("--csv and --json give every row, as the library computes them", () => {
    const csv = medmask("compare", join(dir, "truth.msk"), join(dir, "pred.msk"), "--csv").stdout.trim().split("\n");
    expect(csv[0]).toBe("name,labelA,labelB,voxelsA,voxelsB,intersection,dice,jaccard,volumeAMl,volumeBMl,volumeDifferenceMl,hausdorff,hd95,assd,nsd,empty");
    expect(csv).toHaveLength(4);
    expect(csv[3]).toMatch(/^pancreas,3,,0,0,0,NaN,NaN,0,0,0,NaN,NaN,NaN,NaN,both$/);
    const json = JSON.parse(medmask("compare", join(dir, "truth.msk"), join(dir, "pred.msk"), "--json", "--names", "liver").stdout) as Array<Record<string, unknown>>;
    expect(json).toHaveLength(1);
    expect(json[0]!.hausdorff).toBe(rows[0]!.hausdorff);
    expect(json[0]!.labelB).toBe(9);
  });

  it("a bad --percentile is a usage error; masks of two grids say SHAPE_MISMATCH", () => {
    expect(medmask("compare", join(dir, "truth.msk"), join(dir, "pred.msk"), "--percentile", "120").code).toBe(2);
    writeFileSync(join(dir, "small.msk"), encodeMask(new SegmentationMask(new Uint8Array(8), {}, new Space({ shape: [2, 2, 2] }))));
    const r = medmask("compare", join(dir, "truth.msk"), join(dir, "small.msk"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shapes differ/);
  });
});
