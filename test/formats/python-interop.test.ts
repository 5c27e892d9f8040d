import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MaskArchive, Space, combineBinaryMasks, decodeMask, type LabelArray, initZstd, loadMask, readMaskInfo, readNiftiFolder } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { FIXTURES, codeOf, counts, sha256 } from "../helpers/files.js";

interface ExpectedMask {
  file: string;
  shape_zyx: number[];
  dtype: string;
  mapping: Record<string, number>;
  space_json_in_file: string;
  counts: Record<string, number>;
  sha256_raw_c_order: string;
}
const expected = JSON.parse(readFileSync(FIXTURES + "expected.json", "utf8")) as Record<string, ExpectedMask> & {
  "three.mska": { space_json_in_file: string; masks: Record<string, { mapping: Record<string, number>; counts: Record<string, number>; sha256_raw_c_order: string }>; names_in_order: string[] };
};
const singles = Object.values(expected).filter((e): e is ExpectedMask => "shape_zyx" in e);
const BITS: Record<string, number> = { bool: 1, uint8: 8, uint16: 16, uint32: 32 };

describe.each(BACKENDS)("Python medmask files on %s", (backend) => {
  useBackend(backend);

  it.each(singles.map((e) => [e.file, e] as const))("reads %s exactly (voxels by SHA-256, counts, mapping, space)", async (_file, e) => {
    const seg = await loadMask(FIXTURES + e.file);
    expect([...seg.shape]).toEqual(e.shape_zyx);
    expect(seg.bitDepth).toBe(BITS[e.dtype]);
    expect(sha256(seg.data)).toBe(e.sha256_raw_c_order);
    expect(counts(seg.data)).toEqual(e.counts);
    expect(seg.mapping.toJSON()).toEqual(e.mapping);
    expect(seg.space.equals(Space.fromJSON(e.space_json_in_file).reverseAxisOrder(), 0)).toBe(true);
    const info = readMaskInfo(readFileSync(FIXTURES + e.file));
    expect(info.format).toBe("python-medmask");
    expect(info.mapping.toJSON()).toEqual(e.mapping);
  });

  it("decodes synchronously too (pure-JS zstd before initZstd, WASM after)", async () => {
    const e = expected.uint8_rotated!;
    const bytes = new Uint8Array(readFileSync(FIXTURES + e.file));
    // A fresh process has not started the WASM decoder: decodeMask falls back to fzstd.
    const fresh = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `import { decodeMask } from "medmask"; import { readFileSync } from "node:fs"; import { createHash } from "node:crypto";
        const d = decodeMask(new Uint8Array(readFileSync(${JSON.stringify(FIXTURES + e.file)}))).data;
        console.log(createHash("sha256").update(d).digest("hex"));`],
      { cwd: new URL("../../", import.meta.url).pathname, encoding: "utf8" },
    );
    expect(fresh.trim()).toBe(e.sha256_raw_c_order);
    await initZstd();
    expect(sha256(decodeMask(bytes).data)).toBe(e.sha256_raw_c_order);
  });

  it("reads the .mska archive: names in order, per-entry mappings, random access", async () => {
    const e = expected["three.mska"];
    const archive = await MaskArchive.open(FIXTURES + "three.mska");
    expect(archive.format).toBe("python");
    expect(archive.names()).toEqual(e.names_in_order);
    expect(archive.space.equals(Space.fromJSON(e.space_json_in_file).reverseAxisOrder(), 0)).toBe(true);
    const mappings = archive.mappings();
    for (const name of [...e.names_in_order].reverse()) {
      expect(mappings[name]!.toJSON()).toEqual(e.masks[name]!.mapping);
      const seg = await archive.load(name);
      expect(sha256(seg.data)).toBe(e.masks[name]!.sha256_raw_c_order);
      expect(counts(seg.data)).toEqual(e.masks[name]!.counts);
    }
    const all = await archive.loadAll();
    expect([...all.keys()]).toEqual(e.names_in_order);
    for (const name of e.names_in_order) expect(sha256(all.get(name)!.data)).toBe(e.masks[name]!.sha256_raw_c_order);
    // Each entry into the buffer the one before it used (of its type).
    const reused: string[] = [];
    for await (const [name, seg] of archive.entries({ reuse: true })) {
      expect(sha256(seg.data)).toBe(e.masks[name]!.sha256_raw_c_order);
      reused.push(name);
    }
    expect(reused).toEqual(e.names_in_order);
    // Python archives take new entries now (python-peer.test.ts); a non-mask is refused.
    expect(codeOf(() => archive.add("x", undefined as never))).toBe("INVALID_ARGUMENT");
    await archive.close();
  });

  it("decodes into new memory without a second copy: the voxels are the decompressed bytes, at every bit depth", async () => {
    await initZstd();
    for (const e of singles) {
      const seg = decodeMask(new Uint8Array(readFileSync(FIXTURES + e.file)));
      expect(sha256(seg.data)).toBe(e.sha256_raw_c_order);
      // Its own memory, exactly the volume: not a view into a decoder's heap or a larger block.
      expect(seg.data.buffer.byteLength).toBe(seg.data.byteLength);
      expect(Object.getPrototypeOf(seg.data)).toBe(seg.bitDepth === 16 ? Uint16Array.prototype : seg.bitDepth === 32 ? Uint32Array.prototype : Uint8Array.prototype);
    }
  });

  it("names the voxels of a bool mask whose mapping leaves label 1 unnamed", () => {
    const bytes = new Uint8Array(readFileSync(FIXTURES + expected.bool_lesion!.file));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const [offset, length] = [Number(view.getBigUint64(23, true)), Number(view.getBigUint64(31, true))];
    bytes.set(new TextEncoder().encode("{}".padEnd(length)), offset); // the same bytes, no names
    const seg = decodeMask(bytes);
    expect(seg.mapping.hasLabel(1)).toBe(true);
    expect(sha256(seg.data)).toBe(expected.bool_lesion!.sha256_raw_c_order);
  });
});

describe.each(BACKENDS)("a Python-layout archive of the 117 TotalSegmentator organs on %s", (backend) => {
  useBackend(backend);

  // bench/data/totalseg-117.python.mska: bool entries, packed as numpy.packbits does, and
  // totalseg-multilabel.python.msk (scripts/make-python-files.mjs). Each entry must equal
  // its NIfTI mask voxel for voxel.
  it("reads every entry exactly, one by one and into one reused buffer, and the multi-label .msk", async () => {
    const { space, masks } = await readNiftiFolder(new URL("../../data/totalsegmentator-s0000/", import.meta.url).pathname);
    const archive = await MaskArchive.open(new URL("../../bench/data/totalseg-117.python.mska", import.meta.url).pathname);
    expect(archive.names()).toEqual(masks.map((m) => m.name));
    const byName = new Map(masks.map((m) => [m.name, m.data]));
    const same = (a: LabelArray, b: LabelArray): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    for await (const [name, seg] of archive.entries({ reuse: true })) {
      expect(seg.bitDepth).toBe(1);
      expect(same(seg.data, byName.get(name)!), name).toBe(true);
    }
    const liver = await archive.load("liver");
    expect(same(liver.data, byName.get("liver")!)).toBe(true);
    expect(liver.labelStats().map((s) => s.name)).toEqual(["liver"]);
    await archive.close();
    // And the 117 combined into one uint8 mask, as a Python .msk.
    const multi = await loadMask(new URL("../../bench/data/totalseg-multilabel.python.msk", import.meta.url).pathname);
    // As the script painted them for Python: label i+1 in name order, later masks win.
    const order = Object.fromEntries(masks.map((m, i) => [m.name, i + 1]));
    const { mask } = combineBinaryMasks(space, masks, { onOverlap: "overwrite", mapping: order });
    expect(same(multi.data, mask.data)).toBe(true);
    expect(multi.mapping.toJSON()).toEqual(mask.mapping.toJSON());
  });
});

describe("Python data blocks name a label type", () => {
  it("a dtype that is no label type is BAD_FORMAT", async () => {
    const { encodeMask, decodeMask, SegmentationMask: Mask, Space: S } = await import("../../src/index.js");
    const { codeOf } = await import("../helpers/errors.js");
    const bytes = encodeMask(new Mask(Uint8Array.of(1, 0, 0, 1, 1, 0, 0, 1), { a: 1 }, new S({ shape: [2, 2, 2] })), { format: "python" });
    const text = new TextDecoder("latin1").decode(bytes);
    const at = text.indexOf("uint8");
    expect(at).toBeGreaterThan(0);
    for (const name of ["int8_", "float", "toStr"]) {
      const bad = bytes.slice();
      bad.set(new TextEncoder().encode(name), at);
      expect(codeOf(() => decodeMask(bad)), name).toBe("BAD_FORMAT");
    }
  });
});
