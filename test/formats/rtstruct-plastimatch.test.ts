// decodeRtStruct against plastimatch (Debian's plastimatch: ITK and its own rasteriser, with
// --xor-contours for holes), the independent reference: plastimatch rasterises the same
// structure set onto the same CT, one image per structure, and each of ours agrees with it
// (Dice at least 0.97, holes empty in both). An oracle suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeRtStruct, loadMask } from "../../src/node.js";
import { requireComponent } from "../helpers/component.js";
import { ROIS, hasPydicom, writeCase } from "../helpers/rtstruct-case.js";

const hasPlastimatch = requireComponent("plastimatch", spawnSync("plastimatch", ["--version"]).status === 0, "apt-get install plastimatch");

const dice = (a: Uint8Array, b: Uint8Array): number => {
  let both = 0, sum = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    sum += a[i]! + b[i]!;
  }
  return sum === 0 ? 1 : (2 * both) / sum;
};

describe.skipIf(!hasPlastimatch || !hasPydicom)("RT Structure Sets against plastimatch", () => {
  it("plastimatch's rasterisation of our test structure set on the same CT: every structure's Dice at least 0.97 against ours, the ring's hole empty in both", async () => {
    const { dir, ct, rtstruct } = writeCase();
    const out = join(dir, "plastimatch");
    // The CT as ITK reads it, then the structures rasterised onto its grid.
    const ctImage = spawnSync("plastimatch", ["convert", "--input", join(dir, "ct"), "--output-img", join(dir, "ct.nrrd")], { encoding: "utf8" });
    expect(ctImage.status, ctImage.stderr || ctImage.stdout).toBe(0);
    const r = spawnSync("plastimatch", ["convert", "--input", join(dir, "rs.dcm"), "--fixed", join(dir, "ct.nrrd"), "--output-prefix", out, "--prefix-format", "nrrd", "--xor-contours"], { encoding: "utf8" });
    expect(r.status, r.stderr || r.stdout).toBe(0);
    const ours = decodeRtStruct(rtstruct, { source: ct }).mask;
    const files = readdirSync(out);
    const scores: Record<string, number> = {};
    for (const roi of ROIS.filter((x) => x.contours.some((c) => c.type === "CLOSED_PLANAR"))) {
      const file = files.find((f) => f.startsWith(roi.name));
      expect(file, `${roi.name} among ${files.join(", ")}`).toBeDefined();
      const theirs = await loadMask(join(out, file!));
      expect(theirs.space.equals(ours.space, 1e-3)).toBe(true);
      scores[roi.name] = dice(ours.getBinaryMaskByNames(roi.name), theirs.toBinary());
    }
    for (const [name, d] of Object.entries(scores)) expect(d, `${name}: ${JSON.stringify(scores)}`).toBeGreaterThanOrEqual(0.97);
    console.log(`Dice against plastimatch: ${JSON.stringify(scores)}`);
  }, 120_000);
});
