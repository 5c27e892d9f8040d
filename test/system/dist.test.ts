// The built package, as a consumer sees it: `import ... from "medmask"` runs the seed.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

const SEED = `
import { LabelMapping, SegmentationMask, Space, MedMaskError } from "medmask";
const mapping = new LabelMapping({ liver: 1, spleen: 2, kidney: 3 });
console.log("Forward:", mapping["liver"]);
console.log("Inverse:", mapping.inverse(1));
console.log("Attr access:", mapping.spleen);
console.log("Callable:", mapping("kidney"));
console.log("Lookup consistency:", mapping["liver"], mapping.spleen, mapping("kidney"), mapping.inverse(1));
console.log("Round-trip equal:", JSON.stringify(LabelMapping.fromJSON(JSON.stringify(mapping))) === JSON.stringify(mapping));
const mask = Uint8Array.from([0, 0, 1, 1, 0, 2, 2, 1, 3, 3, 0, 0]);
const space = new Space({ shape: [1, 3, 4], spacing: [1.0, 1.0, 1.0] });
const segmask = new SegmentationMask(mask, { liver: 1, spleen: 2, kidney: 3 }, space);
const sum = (a) => a.reduce((s, v) => s + v, 0);
console.log("Shape:", segmask.shape.join(","));
const liverMask = segmask.getBinaryMaskByNames("liver");
console.log("Liver nonzero:", sum(liverMask));
console.log("Abdominal nonzero:", sum(segmask.getBinaryMaskByNames(["liver", "spleen"])));
console.log("Label-based equal:", liverMask.every((v, i) => v === segmask.getBinaryMaskByLabels(1)[i]));
const empty = SegmentationMask.lazyInit(8, { space });
const liverRegion = new Uint8Array(12), spleenRegion = new Uint8Array(12);
for (let y = 0; y < 2; y++) for (let x = 1; x < 3; x++) liverRegion[y * 4 + x] = 1;
for (let y = 1; y < 3; y++) for (let x = 2; x < 4; x++) spleenRegion[y * 4 + x] = 1;
empty.addLabel(liverRegion, 1, "liver");
empty.addLabel(spleenRegion, 2, "spleen");
console.log("Labels:", [...empty.mapping].join(","));
console.log("Combined nonzero:", sum(empty.getBinaryMaskByNames(["liver", "spleen"])));
const test = SegmentationMask.lazyInit(8, { space: new Space({ shape: [2, 2, 2] }) });
test.addLabel(new Uint8Array(8).fill(1), 1, "organ_a");
try { test.addLabel(new Uint8Array(8).fill(1), 1, "organ_b"); } catch (e) { if (e instanceof MedMaskError) console.log("Duplicate prevented:", e.message); }
`;

describe("the built package", () => {
  it("ships the MIT licence the README and package.json name", () => {
    const pack = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], { cwd: ROOT, encoding: "utf8" })) as { files: { path: string }[] }[];
    expect(pack[0]!.files.map((f) => f.path)).toContain("LICENSE");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("leaves the CLI executable: the bin runs by itself, as npx runs it", () => {
    const cli = JSON.parse(readFileSync(join(ROOT, "cli/package.json"), "utf8")) as { version: string; bin: Record<string, string> };
    expect(statSync(join(ROOT, "cli", cli.bin.medmask!)).mode & 0o111).toBe(0o111);
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(cli.version).toBe(version);
    expect(execFileSync(join(ROOT, "cli", cli.bin.medmask!), ["--version"], { encoding: "utf8" }).trim()).toBe(version);
    // What `npx medmask` runs in a clone: the bin npm linked at install.
    expect(execFileSync(join(ROOT, "node_modules/.bin/medmask"), ["--version"], { encoding: "utf8" }).trim()).toBe(version);
  });

  it("ships types and both entries", () => {
    for (const file of ["dist/index.js", "dist/index.d.ts", "dist/node.js", "dist/node.d.ts"]) expect(existsSync(ROOT + file)).toBe(true);
  });

  it("gives the seed's printed output through import from 'medmask'", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", SEED], { cwd: ROOT, encoding: "utf8" });
    expect(out.trim().split("\n")).toEqual([
      "Forward: 1",
      "Inverse: liver",
      "Attr access: 2",
      "Callable: 3",
      "Lookup consistency: 1 2 3 liver",
      "Round-trip equal: true",
      "Shape: 1,3,4",
      "Liver nonzero: 3",
      "Abdominal nonzero: 5",
      "Label-based equal: true",
      "Labels: liver,spleen",
      "Combined nonzero: 7",
      "Duplicate prevented: Label 1 already exists in the mask array.",
    ]);
  });

  it("keeps the core entry and medmask/internals free of Node built-ins (browser-safe)", () => {
    const out = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `
        import { readFileSync } from "node:fs";
        import { dirname, resolve } from "node:path";
        const seen = new Set(); const stack = [resolve("dist/index.js"), resolve("dist/internals.js")]; const bad = [];
        while (stack.length) {
          const f = stack.pop(); if (seen.has(f)) continue; seen.add(f);
          for (const m of readFileSync(f, "utf8").matchAll(/(?:from|import)\\s*\\(?\\s*"([^"]+)"/g)) {
            const spec = m[1];
            if (spec.startsWith("node:") || ["fs", "path", "zlib", "url", "os", "child_process"].includes(spec)) bad.push(f + " -> " + spec);
            else if (spec.startsWith(".")) stack.push(resolve(dirname(f), spec));
          }
        }
        console.log(JSON.stringify({ files: seen.size, bad }));`],
      { cwd: ROOT, encoding: "utf8" },
    );
    const { files, bad } = JSON.parse(out) as { files: number; bad: string[] };
    expect(files).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });
});
