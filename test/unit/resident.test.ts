// Resident volumes: voxels (and a mask buffer) in a WASM memory of their own, where the
// WASM kernels work in place. Every kernel must give the reference's answer on them, on
// every backend and chunk size, with outputs in place or copied out; the memory must never
// grow or move; and a resident memory that runs out falls back to streaming, correctly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, combineBinaryMasks, decodeMask, encodeMask, initZstd, jsKernels, loadMask, setBackend, wasmBackend, type Dims, type Kernels, type LabelArray } from "../../src/node.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { residentArrays, type ResidentArrays } from "../../src/kernels/wasm-instance.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { FIXTURES, codeOf, sha256 } from "../helpers/files.js";
import { refContains, refCountUnder, refEquals, refOccupied, refPaint, refScan, refSelect } from "../helpers/reference.js";
import { BIT_DEPTHS, dimsArb, interestingLabels, regionArb, volumeArb } from "../helpers/volumes.js";

const backends: [string, Kernels][] = [
  ["js", jsKernels],
  ["wasm", wasmBackend()],
  ["wasm, 20-byte chunks", createWasmKernels(20)],
];
const volume = (dims: Dims) => dims[0] * dims[1] * dims[2];

/** A resident copy of `data`, with its mask buffer. */
function residentCopy(data: LabelArray, headroom?: number): ResidentArrays {
  const r = residentArrays(data.BYTES_PER_ELEMENT as 1 | 2 | 4, data.length, headroom);
  r.data.set(data);
  return r;
}

const caseArb = fc.constantFrom(...BIT_DEPTHS).chain((bitDepth) =>
  dimsArb.chain((dims) =>
    fc.tuple(volumeArb(bitDepth, volume(dims)), regionArb(volume(dims))).map(([data, region]) => ({ bitDepth, dims, data, region })),
  ),
);

describe.each(backends)("kernels on resident volumes, %s", (_name, k) => {
  it("give the reference's answers, reading in place and writing in place or out", () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ bitDepth, dims, data, region }, pick) => {
        const r = residentCopy(data);
        const labels = interestingLabels(bitDepth);
        const label = labels[pick % labels.length]!;
        expect(k.scan(r.data, dims, true)).toEqual(refScan(data, dims, true));
        expect(k.occupied(r.data)).toEqual(refOccupied(data));
        expect(k.contains(r.data, label)).toBe(refContains(data, label));
        expect(k.countUnder(r.data, region)).toEqual(refCountUnder(data, region));
        // Outputs: the volume's own mask buffer (in place), a caller's array, a new one.
        expect(k.equals(r.data, label, false, r.maskBuffer)).toBe(r.maskBuffer);
        expect(r.maskBuffer).toEqual(refEquals(data, label, false));
        expect(k.equals(r.data, label, true, new Uint8Array(data.length))).toEqual(refEquals(data, label, true));
        const set = [label, labels[(pick + 1) % labels.length]!];
        expect(k.select(r.data, set, r.maskBuffer)).toEqual(refSelect(data, set));
        expect(k.select(r.data, set)).toEqual(refSelect(data, set));
        // A region in the same memory (the mask buffer) is read in place too.
        r.maskBuffer.set(region);
        expect(k.countUnder(r.data, r.maskBuffer)).toEqual(refCountUnder(data, region));
        const expected = refPaint(data, region, label, pick % 2 === 0);
        expect(k.paint(r.data, r.maskBuffer, label, pick % 2 === 0)).toBe(expected.painted);
        expect(r.data).toEqual(expected.data);
      }),
      { numRuns: 60 },
    );
  });

  it("a volume larger than a streaming chunk, queried into a caller's array or a new one: the reference's answer, the volume untouched", () => {
    // Read in place in large steps, an output that is not in the volume's memory goes
    // through a scratch buffer one chunk at a time (larger steps once overran it and wrote
    // over the volume itself).
    for (const bitDepth of [8, 16] as const) {
      const n = 3 * 256 * 1024 + 5;
      const data = bitDepth === 8 ? Uint8Array.from({ length: n }, (_, i) => (i >> 10) % 3) : Uint16Array.from({ length: n }, (_, i) => ((i >> 10) % 3) * 300);
      const r = residentCopy(data);
      const label = bitDepth === 8 ? 1 : 300;
      expect(k.equals(r.data, label, false)).toEqual(refEquals(data, label, false));
      expect(k.equals(r.data, label, true, new Uint8Array(n))).toEqual(refEquals(data, label, true));
      expect(k.select(r.data, [label, 2 * label])).toEqual(refSelect(data, [label, 2 * label]));
      expect(Buffer.compare(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength), Buffer.from(data.buffer))).toBe(0);
    }
  });
});

describe.each(backends)("in-place outputs on %s", (_name, k) => {
  it("are written exactly: nothing past the end of the output, at any bit depth and length", () => {
    for (const bitDepth of BIT_DEPTHS) {
      for (const m of [1, 15, 16, 17, 63, 64, 65, 100, 1000]) {
        const labels = interestingLabels(bitDepth);
        // Runs of every length, so the last run ends anywhere near the output's end.
        const source = Array.from({ length: m + 80 }, (_, i) => labels[Math.floor(Math.sqrt(i * 3)) % labels.length]!);
        const r = residentCopy(new (bitDepth === 32 ? Uint32Array : bitDepth === 16 ? Uint16Array : Uint8Array)(source));
        const data = r.data.subarray(0, m) as LabelArray;
        const out = r.maskBuffer.subarray(0, m);
        r.maskBuffer.fill(0xaa);
        const set = labels.slice(1, 4);
        expect(k.select(data, set, out)).toEqual(refSelect(data, set));
        expect(k.equals(data, labels[1]!, false, out)).toEqual(refEquals(data, labels[1]!, false));
        expect([...r.maskBuffer.subarray(m)].every((v) => v === 0xaa)).toBe(true);
      }
    }
  });
});

describe("resident masks", () => {
  it("answer a query into new memory without touching their voxels (a mask larger than a streaming chunk)", () => {
    const shape: Dims = [4, 512, 512];
    const data = Uint8Array.from({ length: volume(shape) }, (_, i) => (i >> 10) % 3);
    const live = new SegmentationMask(data.slice(), { a: 1, b: 2 }, new Space({ shape: [...shape] })).toResident();
    expect(live.getBinaryMaskByNames("a")).toEqual(refEquals(data, 1, false));
    expect(live.labelStats().map((s) => s.voxels)).toEqual([1, 2].map((l) => data.filter((v) => v === l).length));
    live.dispose();
  });

  it("never grow or move their memory, so views stay valid across every kind of call", () => {
    const space = new Space({ shape: [20, 30, 40] });
    const data = Uint16Array.from({ length: space.voxelCount }, (_, i) => ((i >> 4) * 7919) % 3000);
    const seg = new SegmentationMask(data, undefined, space).toResident();
    const view = seg.data;
    const buffer = view.buffer, length = buffer.byteLength;
    const present = seg.presentLabels();
    for (let i = 0; i < 3; i++) {
      seg.labelStats();
      seg.getBinaryMaskByLabels(present.slice(0, 3), { out: seg.maskBuffer() });
      seg.addLabel(seg.getBinaryMaskByLabels(present[i]!), 60000 + i, `extra_${i}`);
      decodeMask(encodeMask(seg));
    }
    expect(seg.data.buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(length);
    expect(view.length).toBe(space.voxelCount); // not detached
  });

  it.each(BACKENDS)("answer as the ordinary mask does, on %s", (backend) => {
    setBackend(backend);
    try {
      fc.assert(
        fc.property(caseArb, ({ bitDepth, dims, data, region }) => {
          if (data.length === 0) return; // masks have at least one voxel
          const plain = new SegmentationMask(data.slice() as LabelArray, undefined, new Space({ shape: [...dims] }), { bitDepth });
          const live = plain.toResident();
          expect(live.resident).toBe(true);
          expect(plain.resident).toBe(false);
          expect(live.labelStats()).toEqual(plain.labelStats());
          expect(live.presentLabels()).toEqual(plain.presentLabels());
          const names = plain.mapping.names().slice(0, 2);
          expect(live.getBinaryMaskByNames(names, { out: live.maskBuffer() })).toEqual(plain.getBinaryMaskByNames(names));
          expect(live.toBinary()).toEqual(plain.toBinary());
          if (bitDepth !== 1) {
            const label = bitDepth === 8 ? 255 : 65535;
            if (!plain.mapping.hasLabel(label) && !plain.presentLabels().includes(label)) {
              expect(live.addLabel(region, label, "new")).toEqual(plain.addLabel(region, label, "new"));
            }
          }
          expect(sha256(live.data)).toBe(sha256(plain.data));
          expect(encodeMask(live)).toEqual(encodeMask(plain));
          const copy = live.clone();
          expect(copy.resident).toBe(false);
          expect(sha256(copy.data)).toBe(sha256(plain.data));
        }),
        { numRuns: 40 },
      );
    } finally {
      setBackend("auto");
    }
  });

  it("fall back to streaming, with the same answers, when their memory cannot hold a kernel's table", () => {
    // No headroom: a 16-bit scan's 2.3 MiB label table cannot fit, nor a 64 KiB lookup table.
    const data = Uint16Array.from({ length: 5000 }, (_, i) => (i * 31) % 70 === 0 ? 0 : (i >> 3) % 1000);
    const r = residentCopy(data, 0);
    const k = wasmBackend();
    const buffer = r.data.buffer;
    expect(k.scan(r.data, [5, 10, 100], true)).toEqual(refScan(data, [5, 10, 100], true));
    expect(k.select(r.data, [3, 999], r.maskBuffer)).toEqual(refSelect(data, [3, 999]));
    expect(k.equals(r.data, 5, false)).toEqual(refEquals(data, 5, false));
    expect(r.data.buffer).toBe(buffer);
    expect(r.data).toEqual(data);
  });

  it("refuse volumes over 1 GiB (OUT_OF_MEMORY) before allocating anything", () => {
    expect(codeOf(() => residentArrays(1, 2 ** 30 + 1))).toBe("OUT_OF_MEMORY");
    expect(codeOf(() => residentArrays(4, 2 ** 28 + 1))).toBe("OUT_OF_MEMORY");
  });

  it("keep a mask buffer per mask, resident or not", () => {
    const seg = new SegmentationMask(Uint8Array.from([0, 1, 1, 2]), { a: 1, b: 2 }, new Space({ shape: [1, 2, 2] }));
    expect(seg.maskBuffer()).toBe(seg.maskBuffer());
    expect(seg.getBinaryMaskByNames("a", { out: seg.maskBuffer() })).toEqual(Uint8Array.from([0, 1, 1, 0]));
    const live = seg.toResident();
    expect(live.maskBuffer().buffer).toBe(live.data.buffer);
    live.dispose();
    expect(codeOf(() => live.maskBuffer())).toBe("DISPOSED");
  });
});

describe("building straight into resident memory", () => {
  it("lazyInit and combineBinaryMasks with { resident: true } give the masks they give without, resident", () => {
    fc.assert(
      fc.property(dimsArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), fc.constantFrom("overwrite" as const, "keep" as const), (dims, spans, onOverlap) => {
        const n = dims[0] * dims[1] * dims[2];
        if (n === 0) return;
        const space = new Space({ shape: [...dims] });
        // Overlapping binary masks, one per span.
        const masks = spans.map(([at, length], i) => ({ name: `m${i}`, data: Uint8Array.from({ length: n }, (_, v) => (v >= at % n && v < (at % n) + (length % 9) ? 1 : 0)) }));
        const plain = combineBinaryMasks(space, masks, { onOverlap });
        const live = combineBinaryMasks(space, masks, { onOverlap, resident: true });
        expect(live.mask.resident).toBe(true);
        expect(plain.mask.resident).toBe(false);
        expect(sha256(live.mask.data)).toBe(sha256(plain.mask.data));
        expect(live.overlaps).toEqual(plain.overlaps);
        expect(live.mask.labelStats()).toEqual(plain.mask.labelStats());
        live.mask.dispose();
      }),
      { numRuns: 40 },
    );
    const empty = SegmentationMask.lazyInit(16, { shape: [2, 3, 4], resident: true });
    expect(empty.resident).toBe(true);
    expect(empty.data).toEqual(new Uint16Array(24));
    expect(empty.maskBuffer().buffer).toBe(empty.data.buffer);
  });
});

describe("decoding straight into resident memory", () => {
  it.each(BACKENDS)("gives the mask a decode gives, resident, with its mask buffer beside it (%s)", (backend) => {
    setBackend(backend);
    try {
      fc.assert(
        fc.property(caseArb, fc.constantFrom("rle-rows-deflate" as const, "deflate" as const, "none" as const), ({ bitDepth, dims, data }, codec) => {
          if (data.length === 0) return;
          const plain = new SegmentationMask(data, undefined, new Space({ shape: [...dims] }), { bitDepth });
          const bytes = encodeMask(plain, { codec, slabDepth: 2 });
          const live = decodeMask(bytes, { resident: true });
          expect(live.resident).toBe(true);
          expect(live.maskBuffer().buffer).toBe(live.data.buffer);
          expect(sha256(live.data)).toBe(sha256(data));
          expect(live.labelStats()).toEqual(plain.labelStats());
        }),
        { numRuns: 40 },
      );
    } finally {
      setBackend("auto");
    }
  });

  it("works for Python files and archive entries, and refuses out and resident together", async () => {
    await initZstd();
    const python = await loadMask(FIXTURES + "uint16_labels.msk", { resident: true });
    expect(python.resident).toBe(true);
    expect(sha256(python.data)).toBe(sha256((await loadMask(FIXTURES + "uint16_labels.msk")).data));
    const archive = await MaskArchive.open(FIXTURES + "three.mska");
    for (const name of archive.names()) {
      const live = await archive.load(name, { resident: true });
      expect(live.resident).toBe(true);
      expect(sha256(live.data)).toBe(sha256((await archive.load(name)).data));
    }
    await archive.close();
    const bytes = encodeMask(new SegmentationMask(Uint8Array.from([0, 1]), { a: 1 }, new Space({ shape: [1, 1, 2] })));
    expect(codeOf(() => decodeMask(bytes, { resident: true, out: new Uint8Array(2) }))).toBe("INVALID_ARGUMENT");
  });

  it("hands a subarray or a re-wrapped copy no foreign mask buffer", () => {
    const live = new SegmentationMask(Uint8Array.from([0, 1, 1, 0]), { a: 1 }, new Space({ shape: [1, 2, 2] })).toResident();
    const wrapped = new SegmentationMask(live.data, { a: 1 }, live.space);
    expect(wrapped.maskBuffer()).toBe(live.maskBuffer()); // the same volume: its buffer
    const part = new SegmentationMask(live.data.subarray(0, 2), { a: 1 }, new Space({ shape: [1, 1, 2] }));
    expect(part.maskBuffer().buffer).not.toBe(live.data.buffer);
  });
});

describe("resident masks with the JS backend", () => {
  useBackend("js");
  it("are ordinary typed arrays to the JS kernels", () => {
    const seg = new SegmentationMask(Uint8Array.from([0, 3, 3, 0, 5, 5]), { a: 3, b: 5 }, new Space({ shape: [1, 2, 3] }));
    setBackend("wasm");
    const live = seg.toResident();
    setBackend("js");
    expect(live.labelStats()).toEqual(seg.labelStats());
    expect(live.getBinaryMaskByNames("b", { out: live.maskBuffer() })).toEqual(Uint8Array.from([0, 0, 0, 0, 1, 1]));
  });
});
