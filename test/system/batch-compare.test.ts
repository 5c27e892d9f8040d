// `medmask batch compare PRED TRUTH --csv OUT`: cases paired by name across two folders, on a
// worker pool, rows equal to compareMasks', a per-organ summary, shards, missing partners.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, compareMasks, encodeMask } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { tempDir } from "../helpers/files.js";

const space = new Space({ shape: [4, 12, 12], spacing: [2, 1, 1] });

/** Case k: liver a block growing with k, spleen a fixed block; the prediction has it shifted by one. */
function pair(k: number): { truth: SegmentationMask<string>; prediction: SegmentationMask<string> } {
  const truth = new Uint8Array(space.voxelCount).fill(1, 0, 100 + 10 * k).fill(2, 400, 460);
  const pred = new Uint8Array(space.voxelCount).fill(1, 1, 101 + 10 * k).fill(2, 400, 460);
  // Numbered differently from the reference: pairs go by name.
  const renumbered = pred.map((v) => (v === 1 ? 7 : v === 2 ? 5 : 0));
  return { truth: new SegmentationMask(truth, { liver: 1, spleen: 2 }, space), prediction: new SegmentationMask(renumbered, { spleen: 5, liver: 7 }, space) };
}

describe("medmask batch compare", () => {
  const dir = tempDir();
  const pred = join(dir, "pred"), truth = join(dir, "truth");
  mkdirSync(pred);
  mkdirSync(truth);
  const cases = ["c1", "c2", "c3", "c4"];
  cases.forEach((c, k) => {
    const p = pair(k);
    writeFileSync(join(truth, `${c}.msk`), encodeMask(p.truth));
    writeFileSync(join(pred, `${c}.msk`), encodeMask(p.prediction));
  });
  writeFileSync(join(pred, "orphan.msk"), encodeMask(pair(0).prediction));

  it("one row per case and organ, equal to compareMasks; per-organ means and medians; a case without its reference fails (exit 3), the others done", () => {
    const out = join(dir, "all.csv");
    const r = medmask("batch", "compare", pred, truth, "--csv", out, "--workers", "2");
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/orphan: FAILED: no reference in/);
    expect(r.stderr).toMatch(/5 cases: 4 compared, 1 failed; 8 rows/);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("case,name,labelA,labelB,voxelsA,voxelsB,intersection,dice,jaccard,volumeAMl,volumeBMl,volumeDifferenceMl,hausdorff,hd95,assd,nsd,empty");
    expect(lines).toHaveLength(9);
    const dices: number[] = [];
    cases.forEach((c, k) => {
      const want = compareMasks(pair(k).truth, pair(k).prediction);
      const liver = lines.find((l) => l.startsWith(`${c},liver,`))!.split(",");
      expect(Number(liver[7])).toBe(want[0]!.dice);
      expect(Number(liver[13])).toBe(want[0]!.hd95);
      expect(liver[3]).toBe("7");
      dices.push(want[0]!.dice);
    });
    const summary = readFileSync(join(dir, "all.summary.csv"), "utf8").trim().split("\n");
    const liver = summary.find((l) => l.startsWith("liver,"))!.split(",");
    expect(Number(liver[1])).toBe(4);
    expect(Number(liver[2])).toBeCloseTo(dices.reduce((a, b) => a + b, 0) / 4, 12);
    const sorted = [...dices].sort((a, b) => a - b);
    expect(Number(liver[3])).toBeCloseTo((sorted[1]! + sorted[2]!) / 2, 12);
    expect(r.stdout).toMatch(/^liver\s+4\s+/m);
    // An existing CSV is kept unless --force.
    expect(medmask("batch", "compare", pred, truth, "--csv", out).stderr).toMatch(/already exists; pass --force/);
  });

  it("--shard 1/2 and 2/2 compare every case once between them", () => {
    const seen: string[] = [];
    for (const shard of ["1/2", "2/2"]) {
      const out = join(dir, `shard${shard[0]}.csv`);
      medmask("batch", "compare", pred, truth, "--csv", out, "--shard", shard);
      if (existsSync(out)) seen.push(...new Set(readFileSync(out, "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0]!)));
    }
    expect(seen.sort()).toEqual(cases);
  });
});
