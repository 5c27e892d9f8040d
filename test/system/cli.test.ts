// The real CLI, run as a child process, as users run it.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, encodeMask } from "../../src/index.js";
import { tempDir } from "../helpers/files.js";
import { medmask } from "../helpers/cli.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const DATA = join(ROOT, "data/totalsegmentator-s0000");
const FIXTURES = join(ROOT, "test/fixtures/python-medmask");

/** A small two-organ case folder of binary NIfTI masks (written through the CLI's own code). */
async function smallCase(dir: string): Promise<string> {
  const { saveNiftiFolder } = await import("../../src/node.js");
  const space = new Space({ shape: [4, 5, 6], spacing: [2, 1, 1] });
  const data = new Uint8Array(120);
  data.fill(1, 0, 30);
  data.fill(2, 60, 100);
  mkdirSync(dir, { recursive: true });
  await saveNiftiFolder(new SegmentationMask(data, { kidney: 1, liver: 2 }, space), dir);
  return dir;
}

describe("medmask CLI", () => {
  it("prints help and version, and refuses unknown commands and flags with exit 2 and one line", () => {
    expect(medmask("--help").code).toBe(0);
    expect(medmask("--help").stdout).toMatch(/info.*convert.*extract.*overlaps.*batch.*demo/s);
    expect(medmask("--version").stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = medmask("frobnicate");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(medmask("info", "--nope", "x").code).toBe(2);
    expect(medmask("batch", "convert", "a", "b", "--workers", "0").code).toBe(2);
  });

  it("info: header-only statistics for native files, --json for machines, Python files too", () => {
    const dir = tempDir();
    const seg = new SegmentationMask(Uint8Array.from([0, 3, 3, 0, 7, 0]), { tumor: 3, marker: 7 }, new Space({ shape: [1, 2, 3], spacing: [2, 1, 1] }));
    writeFileSync(join(dir, "a.msk"), encodeMask(seg));
    const text = medmask("info", join(dir, "a.msk"));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/from the header \(no voxel decoded\)/);
    expect(text.stdout).toMatch(/tumor\s+3\s+2\s+0\.004/);
    const json = JSON.parse(medmask("info", "--json", join(dir, "a.msk")).stdout) as { labels: Array<{ name: string; voxels: number }> };
    expect(json.labels.map((l) => [l.name, l.voxels])).toEqual([["tumor", 2], ["marker", 1]]);
    const python = medmask("info", join(FIXTURES, "uint16_labels.msk"));
    expect(python.code).toBe(0);
    expect(python.stdout).toMatch(/a\s+300\s+519/);
    expect(medmask("info", join(FIXTURES, "three.mska")).stdout).toMatch(/\[lobes\] mapping \{"lobe_upper":2\}/);
  });

  it("convert: folder -> .msk -> .nii.gz (+ names) -> .seg.nrrd -> .mska, --names subsets, existing outputs refused", async () => {
    const dir = tempDir();
    const folder = await smallCase(join(dir, "case"));
    expect(medmask("convert", folder, join(dir, "c.msk")).code).toBe(0);
    expect(medmask("convert", join(dir, "c.msk"), join(dir, "c.nii.gz")).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "c.json"), "utf8"))).toEqual({ kidney: 1, liver: 2 });
    expect(medmask("convert", join(dir, "c.nii.gz"), join(dir, "c.seg.nrrd")).code).toBe(0);
    expect(medmask("convert", join(dir, "c.seg.nrrd"), join(dir, "c.mska")).code).toBe(0);
    expect(medmask("convert", "--names", "liver", folder, join(dir, "liver.msk")).code).toBe(0);
    const liver = JSON.parse(medmask("info", "--json", join(dir, "liver.msk")).stdout) as { labels: Array<{ name: string; voxels: number }> };
    expect(liver.labels.map((l) => [l.name, l.voxels])).toEqual([["liver", 40]]);
    const refused = medmask("convert", folder, join(dir, "c.msk"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists; pass --force/);
    expect(medmask("convert", "--force", folder, join(dir, "c.msk")).code).toBe(0);
    // A plain multi-label NIfTI named by --labels (label -> name, as many tools write it).
    const { niftiBytes } = await import("../../src/index.js");
    writeFileSync(join(dir, "plain.nii"), niftiBytes(Uint8Array.from({ length: 120 }, (_, i) => (i < 10 ? 4 : 0)), new Space({ shape: [4, 5, 6] }), { gzip: false }));
    writeFileSync(join(dir, "names.json"), JSON.stringify({ "4": "lesion" }));
    expect(medmask("convert", "--labels", join(dir, "names.json"), join(dir, "plain.nii"), join(dir, "plain.msk")).code).toBe(0);
    const named = JSON.parse(medmask("info", "--json", join(dir, "plain.msk")).stdout) as { labels: Array<{ name: string; label: number; voxels: number }> };
    expect(named.labels).toMatchObject([{ name: "lesion", label: 4, voxels: 10 }]);
    const python = medmask("convert", join(FIXTURES, "three.mska"), join(dir, "three.mska"));
    expect(python.code).toBe(0);
    expect(medmask("info", join(dir, "three.mska")).stdout).toMatch(/medmask|native/);
  });

  it("convert --format python writes the Python library's .msk and .mska (--per-label: one bool mask per label); info names the layout", async () => {
    const dir = tempDir();
    const folder = await smallCase(join(dir, "case"));
    const { loadMask, MaskArchive } = await import("../../src/node.js");
    expect(medmask("convert", folder, join(dir, "organs.mska"), "--format", "python").code).toBe(0);
    const organs = await MaskArchive.open(join(dir, "organs.mska"));
    expect([organs.format, organs.names()]).toEqual(["python", ["kidney", "liver"]]);
    expect((await organs.load("liver")).bitDepth).toBe(1);
    await organs.close();
    expect(medmask("convert", folder, join(dir, "multi.msk"), "--format", "python").code).toBe(0);
    const multi = await loadMask(join(dir, "multi.msk"));
    expect(multi.mapping.toJSON()).toEqual({ kidney: 1, liver: 2 });
    expect(medmask("info", join(dir, "multi.msk")).stdout).toMatch(/layout: the Python medmask library's/);
    expect(JSON.parse(medmask("info", "--json", join(dir, "organs.mska")).stdout).layout).toBe("python");
    expect(JSON.parse(medmask("info", "--json", join(dir, "multi.msk")).stdout).layout).toBe("python");
    expect(medmask("convert", join(dir, "multi.msk"), join(dir, "split.mska"), "--format", "python", "--per-label").code).toBe(0);
    const split = await MaskArchive.open(join(dir, "split.mska"));
    expect(split.names()).toEqual(["kidney", "liver"]);
    const kidney = await split.load("kidney");
    expect([kidney.bitDepth, kidney.labelStats()[0]!.voxels]).toEqual([1, 30]);
    await split.close();
    expect(medmask("convert", join(dir, "multi.msk"), join(dir, "native.msk")).code).toBe(0);
    expect(medmask("info", join(dir, "native.msk")).stdout).toMatch(/layout: medmask native/);
    // --format python and --per-label only where they apply; nothing is written then.
    const wrong = medmask("convert", join(dir, "multi.msk"), join(dir, "x.nii.gz"), "--format", "python");
    expect([wrong.code, existsSync(join(dir, "x.nii.gz"))]).toEqual([1, false]);
    expect(medmask("convert", join(dir, "multi.msk"), join(dir, "y.msk"), "--per-label").code).toBe(1);
    expect(medmask("convert", join(dir, "multi.msk"), join(dir, "z.msk"), "--format", "zip").code).toBe(2);
  });

  it("never overwrites a names sidecar without --force, nor an input even with it; extract keeps the union's name", async () => {
    const dir = tempDir();
    const folder = await smallCase(join(dir, "case"));
    expect(medmask("convert", folder, join(dir, "seg.nii.gz")).code).toBe(0);
    writeFileSync(join(dir, "b.json"), '{"unrelated": true}');
    const refused = medmask("convert", join(dir, "seg.nii.gz"), join(dir, "b.nii.gz"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/b\.json already exists \(the names sidecar/);
    expect([existsSync(join(dir, "b.nii.gz")), readFileSync(join(dir, "b.json"), "utf8")]).toEqual([false, '{"unrelated": true}']);
    expect(medmask("convert", join(dir, "seg.nii.gz"), join(dir, "b.nii.gz"), "--force").code).toBe(0);
    // --labels dataset.json with the output dataset.nii: its sidecar is the labels file itself.
    writeFileSync(join(dir, "dataset.json"), '{"1": "kidney", "2": "liver"}');
    const own = medmask("convert", join(dir, "seg.nii.gz"), join(dir, "dataset.nii"), "--labels", join(dir, "dataset.json"), "--force");
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/also an input/);
    expect(readFileSync(join(dir, "dataset.json"), "utf8")).toBe('{"1": "kidney", "2": "liver"}');
    expect(medmask("extract", join(dir, "seg.nii.gz"), "--names", "kidney,liver", "-o", join(dir, "both.nii.gz")).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "both.json"), "utf8"))).toEqual({ "kidney+liver": 1 });
  });

  it("batch refuses inputs that would write one output (dup.msk and dup.nii.gz -> dup.msk), listing them, before converting any", async () => {
    const dir = tempDir();
    const cases = join(dir, "in");
    mkdirSync(cases);
    const folder = await smallCase(join(dir, "case"));
    expect(medmask("convert", folder, join(cases, "dup.msk")).code).toBe(0);
    expect(medmask("convert", folder, join(cases, "dup.nii.gz")).code).toBe(0);
    expect(medmask("convert", folder, join(cases, "other.msk")).code).toBe(0);
    const r = medmask("batch", "convert", cases, join(dir, "out"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dup\.msk and dup\.nii\.gz -> dup\.msk/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a folder of organs that share voxels converts with every voxel kept (layers); NIfTI needs --flatten", async () => {
    const dir = tempDir();
    const { saveNiftiFolder, loadMask, loadNifti } = await import("../../src/node.js");
    const space = new Space({ shape: [2, 3, 4] });
    const folder = join(dir, "case");
    mkdirSync(folder);
    const a = new SegmentationMask(new Uint8Array(24).fill(1, 0, 12), { a: 1 }, space);
    const b = new SegmentationMask(new Uint8Array(24).fill(1, 8, 20), { b: 1 }, space);
    await saveNiftiFolder(a, folder);
    await saveNiftiFolder(b, folder);
    const msk = medmask("convert", folder, join(dir, "case.msk"));
    expect(msk.code).toBe(0);
    expect(msk.stderr).toMatch(/b shares 4 voxels with a \(both kept: b in layer 1\)/);
    expect(msk.stderr).toMatch(/2 layers hold every voxel of the 2 masks/);
    const back = await loadMask(join(dir, "case.msk"));
    expect(back.layerCount).toBe(2);
    expect(back.labelStats().map((s) => [s.name, s.voxels])).toEqual([["a", 12], ["b", 12]]);
    const nifti = medmask("convert", join(dir, "case.msk"), join(dir, "case.nii.gz"));
    expect(nifti.code).toBe(1);
    expect(nifti.stderr).toMatch(/2 layers .*--flatten/);
    expect(existsSync(join(dir, "case.nii.gz"))).toBe(false);
    expect(medmask("convert", join(dir, "case.msk"), join(dir, "case.nii.gz"), "--flatten").code).toBe(0);
    expect((await loadNifti(join(dir, "case.nii.gz"))).labelStats().map((s) => [s.name, s.voxels])).toEqual([["a", 8], ["b", 12]]);
    expect(medmask("convert", join(dir, "case.msk"), join(dir, "py.msk"), "--format", "python").code).toBe(1);
    expect(medmask("convert", join(dir, "case.msk"), join(dir, "py.mska"), "--format", "python", "--per-label").code).toBe(0);
    expect(medmask("convert", join(dir, "case.msk"), join(dir, "case.seg.nrrd")).code).toBe(0);
    expect(medmask("info", join(dir, "case.msk")).stdout).toMatch(/layers: 2/);
  });

  it("extract writes the binary union; overlaps lists pairs; bad inputs fail with one line and no output", async () => {
    const dir = tempDir();
    const folder = await smallCase(join(dir, "case"));
    expect(medmask("extract", folder, "--names", "kidney,liver", "-o", join(dir, "both.nii.gz")).code).toBe(0);
    expect(existsSync(join(dir, "both.nii.gz"))).toBe(true);
    const unknown = medmask("extract", folder, "--names", "livr", "-o", join(dir, "x.nii.gz"));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Did you mean "liver"/);
    expect(existsSync(join(dir, "x.nii.gz"))).toBe(false);
    const pairs = medmask("overlaps", "--json", DATA);
    expect(JSON.parse(pairs.stdout)).toContainEqual({ a: "rib_right_12", b: "sacrum", voxels: 13 });
    // The same pairs from the case as one layered file: its labels in different layers overlap.
    expect(medmask("convert", DATA, join(dir, "layered.msk")).code).toBe(0);
    expect(JSON.parse(medmask("overlaps", "--json", join(dir, "layered.msk")).stdout)).toStrictEqual(JSON.parse(pairs.stdout));
    writeFileSync(join(dir, "junk.msk"), "not a mask");
    const junk = medmask("convert", join(dir, "junk.msk"), join(dir, "out.msk"));
    expect(junk.code).toBe(1);
    expect(junk.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "out.msk"))).toBe(false);
    expect(medmask("info", join(dir, "missing.msk")).stderr).toMatch(/no such file/);
    // An output folder that cannot exist (a file stands in its path): one line, exit 1.
    writeFileSync(join(dir, "blocker"), "x");
    const unwritable = medmask("convert", folder, join(dir, "blocker", "out.msk"));
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr.trim().split("\n")).toHaveLength(1);
    expect(unwritable.stderr).toMatch(/blocker\/out\.msk/);
  });

  it("batch convert: all cases in parallel, failures reported and counted, --resume skips finished cases", async () => {
    const dir = tempDir();
    const input = join(dir, "in");
    mkdirSync(input);
    await smallCase(join(input, "case1"));
    await smallCase(join(input, "case2"));
    symlinkSync(DATA, join(input, "case3"));
    writeFileSync(join(input, "broken.msk"), "garbage");
    const run = medmask("batch", "convert", input, join(dir, "out"), "--workers", "2");
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/broken: FAILED/);
    expect(run.stderr).toMatch(/4 cases: 3 converted, 0 skipped, 1 failed/);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["case1.msk", "case2.msk", "case3.msk"]);
    expect(medmask("batch", "convert", input, join(dir, "out")).code).toBe(1);
    const resumed = medmask("batch", "convert", input, join(dir, "out"), "--resume");
    expect(resumed.stderr).toMatch(/4 cases: 0 converted, 3 skipped, 1 failed/);
  });
});

describe("medmask and DICOM SEG (.dcm)", () => {
  it("info reads a SEG; convert writes one and reads it back, every voxel kept", () => {
    const dir = tempDir();
    const seg = join(ROOT, "test/fixtures/dicom-seg/highdicom/seg_image_ct_binary_overlap.dcm");
    const info = medmask("info", seg);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/first segment\s+1\s+64/);
    expect(info.stdout).toMatch(/second segment\s+2\s+16/);
    const msk = join(dir, "overlap.msk");
    expect(medmask("convert", seg, msk).code).toBe(0);
    const out = join(dir, "overlap.dcm");
    expect(medmask("convert", msk, out).code).toBe(0);
    expect(medmask("convert", msk, out).code).not.toBe(0); // exists: refused without --force
    const back = medmask("info", out);
    expect(back.stdout).toMatch(/first segment\s+1\s+64/);
    expect(back.stdout).toMatch(/second segment\s+2\s+16/);
  });

  it("convert --source: a SEG of a mask on a CT series shares the series' frame of reference; --source for another output is refused", async () => {
    const { decodeDicomSeg } = await import("../../src/node.js");
    const dir = tempDir();
    const fixtures = join(ROOT, "test/fixtures/dicom-seg/dcmqi/24x38x3");
    const msk = join(dir, "case.msk");
    expect(medmask("convert", join(fixtures, "seg/label.seg"), msk).code).toBe(0);
    const out = join(dir, "case.dcm");
    const made = medmask("convert", msk, out, "--source", join(fixtures, "image"));
    expect(made.code, made.stderr).toBe(0);
    const written = decodeDicomSeg(new Uint8Array(readFileSync(out)));
    expect(written.frameOfReference).toBe(decodeDicomSeg(new Uint8Array(readFileSync(join(fixtures, "seg/label.seg")))).frameOfReference);
    const wrong = medmask("convert", msk, join(dir, "x.msk"), "--source", join(fixtures, "image"));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--source names the images of a DICOM SEG or RT Structure Set output/);
    const none = medmask("convert", msk, join(dir, "y.dcm"), "--source", tempDir());
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/holds no DICOM file/);
  });
});
