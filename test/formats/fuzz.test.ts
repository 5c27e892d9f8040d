// Every reader against mutated, truncated and extended valid files: each case ends in a
// valid mask or a MedMaskError, in bounded time. `npm run fuzz` runs 10,000 cases per format.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  LabelMapping,
  MaskArchive,
  SegmentationMask,
  Space,
  decodeDicomSeg,
  decodeMask,
  decodeSegNrrd,
  encodeDicomSeg,
  encodeMask,
  initZstd,
  niftiBytes,
  readMaskInfo,
  readNifti,
  encodeSegNrrd,
  writeSegNrrdLayers,
} from "../../src/node.js";
import { FIXTURES } from "../helpers/files.js";
import { rewriteArchiveIndex, rewriteNativeHeader } from "../helpers/native-file.js";
import { FUZZ_RUNS, expectContained, fixNativeCrcs, mutate, mutationArb } from "../helpers/fuzz.js";
import { hugeMsk, niftiBomb, segNrrdBomb, segNrrdLayerClaim, withTrailer } from "../helpers/hostile.js";

const space = new Space({ shape: [5, 6, 7], spacing: [2, 1, 0.5] });
const data8 = Uint8Array.from({ length: space.voxelCount }, (_, i) => (i % 13 < 4 ? 1 : i % 17 < 2 ? 7 : 0));
const data16 = Uint16Array.from({ length: space.voxelCount }, (_, i) => (i % 11 < 3 ? 300 : i % 5 === 0 ? 2 : 0));
const seg8 = new SegmentationMask(data8, { a: 1, b: 7 }, space);
const seg16 = new SegmentationMask(data16, { big: 300, small: 2 }, space);

const memory = MaskArchive.inMemory(space);
memory.add("one", seg8);
memory.add("two", seg16);

// The Python files medmask writes go through the readers too (WASM zstd where Node's zlib has none).
await initZstd();
const python = MaskArchive.inMemory(space, { format: "python" });
python.add("one", seg8);
python.add("bool", new SegmentationMask(seg8.getBinaryMaskByNames("a"), { a: 1 }, space, { bitDepth: 1 }));

// Version 2 (layers) and 1.1 (label metadata) of the native format.
const layered = seg8.clone();
layered.addLabel(seg8.getBinaryMaskByNames("a"), 9, "shared", { onOverlap: "layer", metadata: { color: [1, 0.5, 0], type: ["SCT", "10200004", "Liver"] } });
const colored = seg16.clone();
colored.setMetadata("big", { color: [0, 0, 1], category: ["SCT", "123037004", "Anatomical Structure"] });
const layeredArchive = MaskArchive.inMemory(space);
layeredArchive.add("layered", layered);
layeredArchive.add("colored", colored);

const seeds: Record<string, Uint8Array[]> = {
  "native 2.0 and 1.1 (layers, metadata)": [encodeMask(layered, { slabDepth: 2 }), encodeMask(colored), encodeMask(layered, { codec: "none" }), layeredArchive.toBytes()],
  "native .msk": [encodeMask(seg8, { slabDepth: 2 }), encodeMask(seg16), encodeMask(seg8, { codec: "deflate" }), encodeMask(seg8, { codec: "none" })],
  "native .mska": [memory.toBytes()],
  "Python .msk": [
    ...["seed_example.msk", "uint8_rotated.msk", "uint16_labels.msk", "uint32_label.msk", "bool_lesion.msk"].map((f) => new Uint8Array(readFileSync(FIXTURES + f))),
    encodeMask(seg8, { format: "python" }),
    encodeMask(seg16, { format: "python" }),
  ],
  "Python .mska": [new Uint8Array(readFileSync(FIXTURES + "three.mska")), python.toBytes()],
  NIfTI: [niftiBytes(data8, space, { gzip: false }), niftiBytes(data16, space, { gzip: true })],
  ".seg.nrrd": [encodeSegNrrd(seg8, { gzip: false }), encodeSegNrrd(seg16), encodeSegNrrd(layered, { gzip: false }), writeSegNrrdLayers(space, [{ name: "x", data: seg8.getBinaryMaskByNames("a") }, { name: "y", data: seg8.toBinary() }], { gzip: false })],
  "DICOM SEG": [
    ...["highdicom/seg_image_ct_binary_overlap.dcm", "highdicom/seg_image_ct_true_fractional.dcm", "dcmqi/24x38x3/seg/label.seg", "dcmqi/sparse-labelmap-noppv.dcm", "pydicom-data/liver_deflate.dcm"].map((f) => new Uint8Array(readFileSync(new URL(`../fixtures/dicom-seg/${f}`, import.meta.url)))),
    encodeDicomSeg(layered),
    encodeDicomSeg(seg16, { type: "LABELMAP" }),
  ],
  // The hostile cases of issue 22 (small builds of them), read under a small memory bound so
  // that no mutation of a claim can make a case allocate what it claims.
  hostile: [
    withTrailer(niftiBomb(1), 64),
    niftiBomb(1),
    segNrrdBomb(1),
    segNrrdLayerClaim(),
    hugeMsk(),
    rewriteNativeHeader(encodeMask(seg8), (h) => ((h.labels as { voxels: number }[])[0]!.voxels += 1)),
    new TextEncoder().encode("NRRD0004\ntype: unsigned char\ndimension: 3\nsizes: 4 1 1\nencoding: raw\nSegment0_ID:=a\nSegment0_LabelValue:=abc\nSegment5_ID:=b\nSegment5_LabelValue:=1\n\n\x00\x01\x01\x00"),
  ],
};

const HOSTILE_MAX_BYTES = 16 * 2 ** 20;

const readers: Record<string, (bytes: Uint8Array) => unknown> = {
  "native 2.0 and 1.1 (layers, metadata)": async (b) => {
    if (String.fromCharCode(...b.subarray(0, 4)) === "MMSA") {
      const a = await MaskArchive.fromBytes(b);
      for (const n of a.names()) {
        a.metadata(n);
        const m = await a.load(n);
        m.labelStats();
        m.toBinary();
      }
      return;
    }
    readMaskInfo(b);
    const m = decodeMask(b);
    m.allMetadata();
    m.getBinaryMaskByLabels(m.presentLabels());
    return m.labelStats();
  },
  "native .msk": (b) => {
    readMaskInfo(b);
    return decodeMask(b).labelStats();
  },
  "native .mska": async (b) => {
    const a = await MaskArchive.fromBytes(b);
    for (const n of a.names()) (await a.load(n)).labelStats();
  },
  "Python .msk": (b) => decodeMask(b).labelStats(),
  "Python .mska": async (b) => {
    const a = await MaskArchive.fromBytes(b);
    for (const n of a.names()) (await a.load(n)).labelStats();
  },
  NIfTI: (b) => readNifti(b),
  ".seg.nrrd": (b) => decodeSegNrrd(b).mask.labelStats(),
  // Read under a small memory bound: a claim of 2^31 frames or a huge grid must be refused, not allocated.
  "DICOM SEG": (b) => decodeDicomSeg(b, { maxBytes: HOSTILE_MAX_BYTES }).mask.labelStats(),
  hostile: (b) => {
    const options = { maxBytes: HOSTILE_MAX_BYTES };
    const text = new TextDecoder().decode(b.subarray(0, 4));
    if (text === "NRRD") return decodeSegNrrd(b, options).mask.labelStats();
    // gzip, or a NIfTI-1 header's size (348) first.
    if (b[0] === 0x1f || (b[0] === 0x5c && b[1] === 0x01)) return readNifti(b, options);
    return decodeMask(b, options).labelStats();
  },
};

const outcomes: Record<string, Record<string, number>> = {};
afterAll(() => {
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify(outcomes, null, 2));
});

describe("fuzzing every reader", () => {
  it.each(Object.keys(readers))("%s: mutated, truncated, extended files end in a mask or a MedMaskError", async (format) => {
    await initZstd();
    const tally = (outcomes[format] = {} as Record<string, number>);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean(), async (pick, mutations, fixCrcs) => {
        const list = seeds[format]!;
        let bytes = mutate(list[pick % list.length]!, mutations);
        if (fixCrcs) bytes = fixNativeCrcs(bytes);
        const outcome = await expectContained(() => readers[format]!(bytes));
        tally[outcome] = (tally[outcome] ?? 0) + 1;
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBe(FUZZ_RUNS);
  }, 600_000);

  it("native headers and archive indexes with any JSON value in any field, checksums valid", async () => {
    // Byte mutations rarely leave JSON that parses; these replace one value anywhere in the
    // header (or index) tree, delete it, or put an object there that cannot be printed.
    const unprintable = fc.constantFrom(0, 1).map((k) => (k ? { toString: null } : { valueOf: null, toString: null })); // fresh each time
    const nasty = fc.oneof(fc.jsonValue(), unprintable, fc.constant(undefined));
    const edit = fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), nasty);
    const applyEdit = (root: Record<string, unknown>, [path, value]: [number[], unknown]) => {
      let node: Record<string, unknown> = root;
      for (let depth = 0; depth < path.length; depth++) {
        const keys = Object.keys(node);
        if (keys.length === 0) return;
        const key = keys[path[depth]! % keys.length]!;
        const child = node[key];
        if (depth === path.length - 1 || typeof child !== "object" || child === null) {
          if (value === undefined) delete node[key];
          else node[key] = structuredClone(value); // edits never share (or nest in) objects
          return;
        }
        node = child as Record<string, unknown>;
      }
    };
    const nativeSeeds = [...seeds["native .msk"]!, ...seeds["native 2.0 and 1.1 (layers, metadata)"]!.slice(0, 3)];
    const archive = seeds["native .mska"]![0]!;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), async (pick, edits) => {
        const file = fixNativeCrcs(rewriteNativeHeader(nativeSeeds[pick % nativeSeeds.length]!, (h) => edits.forEach((e) => applyEdit(h, e))));
        await expectContained(() => readers["native .msk"]!(file));
        const changed = rewriteArchiveIndex(archive, (index) => edits.forEach((e) => applyEdit(index, e)));
        await expectContained(async () => {
          const a = await MaskArchive.fromBytes(changed);
          for (const n of a.names()) {
            a.stats(n);
            (await a.load(n)).labelStats();
          }
          a.mappings();
        });
      }),
      { numRuns: FUZZ_RUNS * 3 },
    );
  }, 600_000);

  it("JSON headers: mappings and spaces from arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        for (const parse of [() => LabelMapping.fromJSON(text), () => Space.fromJSON(text)]) {
          try {
            parse();
          } catch (error) {
            expect((error as { code?: string }).code).toBeTypeOf("string");
          }
        }
      }),
      { numRuns: FUZZ_RUNS * 5 },
    );
  });
});
