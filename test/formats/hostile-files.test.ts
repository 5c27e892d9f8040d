// Hostile inputs that are not damaged files: special files where a file is expected, bombs,
// tiny files that claim huge memory. Each is refused with a clear code, in bounded time and
// memory, before the memory a header claims is allocated.
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_BYTES, MaskArchive, SegmentationMask, Space, decodeMask, decodeSegNrrd, encodeMask, initZstd, loadMask, loadNifti, niftiBytes, readNifti, readNiftiBlob, readNiftiFolder, readSegNrrd, encodeSegNrrd } from "../../src/node.js";
import { readNiftiBlob as coreReadNiftiBlob } from "../../src/formats/nifti/blob.js";
import { asyncCodeOf, codeOf, tempDir } from "../helpers/files.js";
import { rewriteArchiveIndex, rewriteNativeHeader } from "../helpers/native-file.js";
import { hugeMsk, niftiBomb, segNrrdBomb, segNrrdLayerClaim, withTrailer } from "../helpers/hostile.js";

const ROOT = new URL("../../", import.meta.url).pathname;

function medmask(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "cli/bin/medmask.js"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("special files where a file is expected", () => {
  const dir = tempDir();
  const fifo = join(dir, "case.msk");
  execFileSync("mkfifo", [fifo]);
  const zero = join(dir, "zero.msk");
  symlinkSync("/dev/zero", zero);
  const zeroNii = join(dir, "zero.nii.gz");
  symlinkSync("/dev/zero", zeroNii);
  const folder = join(dir, "folder.msk");
  mkdirSync(folder);

  it("every reader refuses a FIFO, a device behind a symlink and a folder with NOT_A_FILE, without reading", async () => {
    for (const path of [fifo, zero, folder]) {
      expect(await asyncCodeOf(() => loadMask(path)), path).toBe("NOT_A_FILE");
      expect(await asyncCodeOf(() => MaskArchive.open(path)), path).toBe("NOT_A_FILE");
    }
    expect(await asyncCodeOf(() => loadNifti(zeroNii))).toBe("NOT_A_FILE");
    const niftiFolder = join(dir, "organs");
    mkdirSync(niftiFolder);
    execFileSync("mkfifo", [join(niftiFolder, "liver.nii.gz")]);
    expect(await asyncCodeOf(() => readNiftiFolder(niftiFolder))).toBe("NOT_A_FILE");
  });

  it("the CLI says so in one line: info on /dev/zero, batch over a FIFO named case.msk (the other cases done)", () => {
    const info = medmask("info", zero);
    expect(info.code).toBe(1);
    expect(info.stderr).toMatch(/is a device, not a file/);
    const cases = join(dir, "cases");
    mkdirSync(cases);
    execFileSync("mkfifo", [join(cases, "a.msk")]);
    writeFileSync(join(cases, "b.msk"), new Uint8Array(0));
    const batch = medmask("batch", "convert", cases, join(dir, "out"));
    expect(batch.code).toBe(3); // some cases failed; the run finished
    expect(batch.stderr).toMatch(/a: FAILED: .*pipe \(FIFO\)/);
  });
});

/**
 * `fn` must throw a MedMaskError with `code`. No timing is asserted (figures live in the
 * bench): the old readers did not refuse these files at all, they inflated or allocated
 * what the file claimed (seconds to minutes, gigabytes), so refusing is the test.
 */
async function refused(code: string, fn: () => unknown): Promise<void> {
  expect(await asyncCodeOf(async () => fn())).toBe(code);
}

describe("gzip bombs and files that claim huge memory (SPEC section 12: maxBytes, TOO_LARGE)", () => {
  const tiny = new Space({ shape: [2, 2, 2] });
  // A valid 2x2x2 NIfTI header, then 64 MiB of zeros instead of 8 voxels: 64 KB of gzip.
  const bomb = niftiBomb(64);

  it("a NIfTI gzip bomb (lying or honest trailer) is refused from its header's size, in the core, in Node and from a Blob", async () => {
    for (const gz of [withTrailer(bomb, 64), bomb]) {
      await refused("BAD_FORMAT", () => readNifti(gz));
      const dir = tempDir();
      writeFileSync(join(dir, "bomb.nii.gz"), gz);
      await refused("BAD_FORMAT", () => loadNifti(join(dir, "bomb.nii.gz")));
      await refused("BAD_FORMAT", () => coreReadNiftiBlob(new Blob([gz as BlobPart])));
    }
    // The honest file still reads.
    expect(readNifti(niftiBytes(Uint8Array.of(0, 1, 1, 0, 0, 0, 0, 1), tiny)).data).toEqual(Uint8Array.of(0, 1, 1, 0, 0, 0, 0, 1));
  });

  it("a .seg.nrrd gzip bomb and a 10 KB .seg.nrrd declaring 10^7 layers are refused before inflating", async () => {
    await refused("BAD_FORMAT", () => decodeSegNrrd(segNrrdBomb(64)));
    const claims = segNrrdLayerClaim();
    await refused("TOO_LARGE", () => readSegNrrd(claims));
  });

  it("a tiny .msk whose header declares 1024 x 2048 x 2048 is TOO_LARGE at once; maxBytes lowers and raises the bar", async () => {
    const seg = new SegmentationMask(Uint8Array.of(0, 1, 1, 0, 0, 0, 0, 1), { a: 1 }, tiny);
    // All background, as the encoder writes it (empty slabs), then the header's rows widened.
    const huge = hugeMsk();
    expect(huge.length).toBeLessThan(2000);
    await refused("TOO_LARGE", () => decodeMask(huge));
    expect(codeOf(() => decodeMask(encodeMask(seg), { maxBytes: 7 }))).toBe("TOO_LARGE");
    expect(decodeMask(encodeMask(seg), { maxBytes: 8 }).data).toEqual(seg.data);
    await initZstd();
    expect(codeOf(() => decodeMask(encodeMask(seg, { format: "python" }), { maxBytes: 7 }))).toBe("TOO_LARGE");
    expect(codeOf(() => decodeMask(encodeMask(seg), { maxBytes: 0 }))).toBe("INVALID_ARGUMENT");
    expect(DEFAULT_MAX_BYTES).toBe(2 ** 31);
    const dir = tempDir();
    const wide = new Space({ shape: [4, 10, 25] });
    const entry = new SegmentationMask(new Uint8Array(1000).fill(1, 10, 20), { a: 1 }, wide);
    const archive = await MaskArchive.create(join(dir, "a.mska"), { space: wide });
    archive.add("a", entry);
    await archive.close();
    expect(await asyncCodeOf(() => MaskArchive.open(join(dir, "a.mska"), { maxBytes: 100 }))).toBe("TOO_LARGE"); // its index
    const limited = await MaskArchive.open(join(dir, "a.mska"), { maxBytes: 999 });
    expect(await asyncCodeOf(() => limited.load("a"))).toBe("TOO_LARGE"); // 1000 voxels
    expect((await limited.load("a", { maxBytes: 1000 })).data).toEqual(entry.data);
    await limited.close();
    writeFileSync(join(dir, "a.nii.gz"), niftiBytes(seg.data, tiny));
    expect(await asyncCodeOf(() => loadNifti(join(dir, "a.nii.gz"), { maxBytes: 100 }))).toBe("TOO_LARGE");
    expect(await asyncCodeOf(() => readNiftiBlob(new Blob([niftiBytes(seg.data, tiny) as BlobPart]), { maxBytes: 100 }))).toBe("TOO_LARGE");
    writeFileSync(join(dir, "a.msk"), encodeMask(seg));
    const cli = medmask("--max-memory", "4", "convert", join(dir, "a.msk"), join(dir, "b.msk"));
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/needs 8 bytes, more than maxBytes/);
    expect(medmask("--max-memory", "1K", "convert", join(dir, "a.msk"), join(dir, "b.msk")).code).toBe(0);
    expect(medmask("--max-memory", "lots", "info", join(dir, "a.msk")).code).toBe(1);
    // --max-memory reaches the batch's worker threads, and archive entries stream through convert.
    const cases = join(dir, "cases");
    mkdirSync(cases);
    writeFileSync(join(cases, "one.msk"), encodeMask(seg));
    writeFileSync(join(cases, "two.msk"), encodeMask(seg));
    const batch = medmask("--max-memory", "4", "batch", "convert", cases, join(dir, "out"));
    expect(batch.code).toBe(3);
    expect(batch.stderr).toMatch(/2 cases: 0 converted, 0 skipped, 2 failed/);
    expect(medmask("--max-memory", "999", "convert", join(dir, "a.mska"), join(dir, "limited.msk")).code).toBe(1);
    expect(medmask("convert", join(dir, "a.mska"), join(dir, "whole.msk")).code).toBe(0);
    expect((await loadMask(join(dir, "whole.msk"))).labelStats().map((s) => s.voxels)).toEqual([10]);
  });
});

describe("smaller ones (issue 22, item 12)", () => {
  it("a names sidecar with a byte-order mark reads", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.nii.gz"), niftiBytes(Uint8Array.of(0, 1, 2, 0), new Space({ shape: [1, 2, 2] })));
    writeFileSync(join(dir, "a.json"), '\uFEFF{"1": "liver", "2": "spleen"}');
    expect((await loadNifti(join(dir, "a.nii.gz"))).mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
  });

  it("NRRD headers with CRLF line ends, and headers over 1 MiB, read", () => {
    const seg = new SegmentationMask(Uint8Array.of(0, 1, 1, 0, 2, 0, 0, 2), { a: 1, b: 2 }, new Space({ shape: [2, 2, 2] }));
    const file = encodeSegNrrd(seg, { gzip: false });
    const end = file.findIndex((b, i) => b === 10 && file[i + 1] === 10);
    const head = new TextDecoder().decode(file.subarray(0, end));
    const crlf = new Uint8Array([...new TextEncoder().encode(head.replace(/\n/g, "\r\n") + "\r\n\r\n"), ...file.subarray(end + 2)]);
    expect(decodeSegNrrd(crlf).mask.data).toEqual(seg.data);
    const long = new Uint8Array([...new TextEncoder().encode(head + "\n# " + "x".repeat(1.2 * 2 ** 20) + "\n\n"), ...file.subarray(end + 2)]);
    expect(decodeSegNrrd(long).mask.data).toEqual(seg.data);
    expect(codeOf(() => readSegNrrd("x.seg.nrrd" as unknown as Uint8Array))).toBe("INVALID_ARGUMENT");
  });

  it("a NIfTI whose scl_slope is NaN or infinite reads unscaled, as nibabel reads it", () => {
    const bytes = niftiBytes(Uint8Array.of(0, 3, 3, 0), new Space({ shape: [1, 2, 2] }), { gzip: false });
    for (const slope of [NaN, Infinity, -Infinity]) {
      const copy = bytes.slice();
      new DataView(copy.buffer).setFloat32(112, slope, true);
      expect(readNifti(copy).data).toEqual(Uint8Array.of(0, 3, 3, 0));
    }
  });

  it("assigning to a mapping is a real set (m.liver = 9), and what set refuses is refused (m.then = fn, methods)", async () => {
    const { LabelMapping } = await import("../../src/node.js");
    const m = new LabelMapping({ liver: 1, spleen: 2 }) as unknown as Record<string, unknown> & { get(n: string): number };
    m.liver = 9;
    expect([m.liver, m.get("liver")]).toEqual([9, 9]);
    expect(codeOf(() => (m.spleen = 9))).toBe("DUPLICATE_LABEL");
    expect(codeOf(() => (m.then = () => undefined))).toBe("INVALID_LABEL");
    expect(await Promise.resolve(m)).toBe(m); // not a thenable
    expect(codeOf(() => (m.get = () => 0))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => delete m.liver)).toBe("INVALID_ARGUMENT");
    expect(m.get("liver")).toBe(9);
  });
});

describe("folder outputs are all or nothing (issue 22, item 12)", () => {
  it("a label name that cannot be a file name refuses the whole folder before any file is written, in the library and the CLI", async () => {
    const { saveNiftiFolder } = await import("../../src/node.js");
    const space = new Space({ shape: [2, 2, 2] });
    const dir = tempDir();
    for (const bad of ["a/b", "x\0y", "n".repeat(250)]) {
      const seg = new SegmentationMask(new Uint8Array([0, 1, 2, 3, 0, 0, 0, 0]), { liver: 1, [bad]: 2, spleen: 3 }, space);
      expect(await asyncCodeOf(() => saveNiftiFolder(seg, dir))).toBe("INVALID_NAME");
      expect(readdirSync(dir)).toEqual([]);
      const input = join(dir, "..", "bad-name.msk");
      writeFileSync(input, encodeMask(seg));
      const out = join(dir, "new", "organs");
      const run = medmask("convert", input, out + "/");
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/cannot be a file name/);
      expect(existsSync(join(dir, "new"))).toBe(false);
    }
  });
});

describe("archive indexes are checked against themselves and their entries (issue 22, item 11)", () => {
  it("duplicate and empty entry names, and an index mapping that disagrees with the entry, are BAD_FORMAT", async () => {
    const space = new Space({ shape: [1, 2, 2] });
    const memory = MaskArchive.inMemory(space);
    memory.add("a", new SegmentationMask(Uint8Array.of(0, 1, 1, 0), { liver: 1 }, space));
    memory.add("b", new SegmentationMask(Uint8Array.of(1, 0, 0, 0), { spleen: 1 }, space));
    const bytes = memory.toBytes();
    const renamed = (names: string[]) =>
      rewriteArchiveIndex(bytes, (index) => (index.entries as { name: string }[]).forEach((e, i) => (e.name = names[i]!)));
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(renamed(["a", "a"])))).toBe("BAD_FORMAT");
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(renamed(["a", ""])))).toBe("BAD_FORMAT");
    const lying = rewriteArchiveIndex(bytes, (index) => ((index.entries as { mapping: object }[])[0]!.mapping = { kidney: 1 }));
    const archive = await MaskArchive.fromBytes(lying);
    expect(archive.mappings().a!.toJSON()).toEqual({ kidney: 1 });
    expect(await asyncCodeOf(() => archive.load("a"))).toBe("BAD_FORMAT");
    expect((await archive.load("b")).mapping.toJSON()).toEqual({ spleen: 1 });
  });

  it("header or index statistics that disagree with the voxels (count or box) are BAD_FORMAT on decoding, naming the label", async () => {
    const space = new Space({ shape: [1, 2, 4] });
    const seg = new SegmentationMask(Uint8Array.of(1, 1, 0, 2, 2, 0, 0, 1), { liver: 1, spleen: 2 }, space);
    type Claim = { label: number; voxels: number; bbox: number[] | null };
    const edits: [string, (l: Claim) => void][] = [
      ["count", (l) => (l.voxels += 1)],
      ["box", (l) => (l.bbox![5] = 2)],
      ["empty", (l) => ((l.voxels = 0), (l.bbox = null))],
    ];
    for (const [what, edit] of edits) {
      const file = rewriteNativeHeader(encodeMask(seg), (h) => edit((h.labels as Claim[])[1]!));
      const error = (() => {
        try {
          decodeMask(file);
        } catch (e) {
          return e as Error & { code: string };
        }
      })();
      expect(error?.code, what).toBe("BAD_FORMAT");
      expect(error?.message, what).toContain('label 2 ("spleen")');
      const memory = MaskArchive.inMemory(space);
      memory.add("a", seg);
      const archive = await MaskArchive.fromBytes(rewriteArchiveIndex(memory.toBytes(), (index) => edit(((index.entries as { labels: Claim[] }[])[0]!.labels)[1]!)));
      expect(await asyncCodeOf(() => archive.load("a")), what).toBe("BAD_FORMAT");
    }
    // What agrees still decodes, and a label the header does not list is named, not refused.
    expect(decodeMask(encodeMask(seg)).labelStats().map((s) => s.voxels)).toEqual([3, 2]);
  });
});

describe("decoded masks agree with themselves whatever their header says (issue 22, item 10)", () => {
  const space = new Space({ shape: [1, 2, 4] });
  const withNine = new SegmentationMask(Uint8Array.of(1, 1, 0, 9, 9, 0, 0, 1), { a: 1, b: 9 }, space);

  it("a slab holding a label the header's mapping lacks: named idx_<label> everywhere (stats, names, labels, .seg.nrrd)", () => {
    const lying = rewriteNativeHeader(encodeMask(withNine), (h) => {
      h.mapping = { a: 1 };
      h.labels = (h.labels as { label: number }[]).filter((l) => l.label === 1);
    });
    const seg = decodeMask(lying);
    expect(seg.labelStats().map((s) => s.name)).toEqual(["a", "idx_9"]);
    expect(Array.from(seg.getBinaryMaskByNames("idx_9"))).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    expect(Array.from(seg.getBinaryMaskByLabels(9))).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    expect(decodeSegNrrd(encodeSegNrrd(seg)).mask.mapping.toJSON()).toEqual({ a: 1, idx_9: 9 });
    // A fresh decode, queried by name first (no scan before it), answers the same.
    expect(Array.from(decodeMask(lying).getBinaryMaskByNames("idx_9"))).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('a "bool" entry holding 7 and 200 is refused, not loaded as a 1-bit mask', () => {
    const bytes = encodeMask(new SegmentationMask(Uint8Array.of(0, 7, 200, 0, 0, 1, 0, 0), { x: 1, y: 7, z: 200 }, space), { codec: "deflate" });
    const lying = rewriteNativeHeader(bytes, (h) => {
      h.dtype = "bool";
      h.mapping = { x: 1 };
      h.labels = [];
    });
    expect(codeOf(() => decodeMask(lying))).toBe("BAD_FORMAT");
  });
});

describe("volumes over 4 GiB of voxel bytes (issue 22, item 9)", () => {
  // Zero-filled typed arrays are untouched virtual memory until written: these cost no RSS.
  it("are refused up front with OUT_OF_MEMORY, not a RangeError from a pass that needs their bytes", () => {
    const over16 = 2 ** 31 + 8, over32 = 2 ** 30 + 8;
    expect(codeOf(() => new SegmentationMask(new Uint16Array(over16), {}, new Space({ shape: [8, 2 ** 14, 2 ** 14 + 1] })))).toBe("OUT_OF_MEMORY");
    expect(codeOf(() => new SegmentationMask(new Uint32Array(over32), {}, new Space({ shape: [8, 2 ** 13, 2 ** 14 + 1] })))).toBe("OUT_OF_MEMORY");
    expect(codeOf(() => SegmentationMask.lazyInit(16, { shape: [8, 2 ** 14, 2 ** 14 + 1] }))).toBe("OUT_OF_MEMORY");
    expect(codeOf(() => SegmentationMask.lazyInit(32, { shape: [8, 2 ** 13, 2 ** 14 + 1] }))).toBe("OUT_OF_MEMORY");
    // A decode that a caller allows (maxBytes) still cannot make one.
    const header = rewriteNativeHeader(encodeMask(new SegmentationMask(new Uint16Array(8).fill(300), { a: 300 }, new Space({ shape: [8, 1, 1] }))), (h) => {
      (h.space as { shape: number[] }).shape = [8, 2 ** 14, 2 ** 14 + 1];
      h.slabs = (h.slabs as object[]).map(() => ({ z0: 0, z1: 7, offset: 0, length: 0, raw_length: 0, crc32: 0 })).slice(0, 1);
      h.labels = [];
    });
    expect(codeOf(() => decodeMask(header, { maxBytes: 2 ** 40 }))).toBe("OUT_OF_MEMORY");
  });
});
