import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsKernels, wasmBackend, type BitDepth, type Box6, type Dims, type Kernels, type LabelArray, type ScanResult } from "../../src/index.js";
import { scanOccupied } from "../../src/kernels/occupied.js";
import { createWasmKernels } from "../../src/kernels/wasm.js";
import { CHUNK_BYTES, residentArrays } from "../../src/kernels/wasm-instance.js";
import { codeOf } from "../helpers/errors.js";
import { refContains, refCountOverlap, refCountUnder, refEncodeRows, refEquals, refOccupied, refPaint, refScan, refSelect, refPackBits, refUnpackBits, refBitRuns } from "../helpers/reference.js";
import { arrayFor, BIT_DEPTHS, dimsArb, EDGE_LENGTHS, interestingLabels, maxOf, ODD_DIMS, regionArb, sparseVolumeArb, volumeArb } from "../helpers/volumes.js";

// One table of kernel cases, run on both backends; the naive reference is the oracle. The
// WASM kernels stream volumes in chunks: a second WASM instance with 20-byte chunks puts
// chunk boundaries everywhere in small random volumes (runs that cross them, a u32 label
// split across none: chunks hold whole voxels).
const tinyChunks = createWasmKernels(20);
const backends: [string, Kernels][] = [
  ["js", jsKernels],
  ["wasm", wasmBackend()],
  ["wasm, 20-byte chunks", tinyChunks],
];
const RUNS = { numRuns: 60 };

const volume = (dims: Dims) => dims[0] * dims[1] * dims[2];

/** Volume + dims + bit depth, random, for property tests. */
const caseArb = fc.constantFrom(...BIT_DEPTHS).chain((bitDepth) =>
  dimsArb.chain((dims) => volumeArb(bitDepth, volume(dims)).map((data) => ({ bitDepth, dims, data }))),
);

describe.each(backends)("kernels on %s", (_name, k) => {
  it("scan matches the reference (counts and boxes, first-seen order)", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), ({ dims, data }, withBoxes) => {
        expect(k.scan(data, dims, withBoxes)).toEqual(refScan(data, dims, withBoxes));
      }),
      RUNS,
    );
  });

  it("scan handles edge lengths and odd strides at every bit depth", () => {
    for (const bitDepth of BIT_DEPTHS) {
      const labels = interestingLabels(bitDepth);
      for (const n of EDGE_LENGTHS) {
        const data = arrayFor(bitDepth, Array.from({ length: n }, (_, i) => labels[(i * 7) % labels.length]!));
        expect(k.scan(data, [1, 1, n], true)).toEqual(refScan(data, [1, 1, n], true));
      }
      for (const dims of ODD_DIMS) {
        const data = arrayFor(bitDepth, Array.from({ length: volume(dims) }, (_, i) => labels[Math.floor(i / 5) % labels.length]!));
        expect(k.scan(data, dims, true)).toEqual(refScan(data, dims, true));
      }
    }
  });

  it("scan of 32-bit data with thousands of distinct labels (hash table growth)", () => {
    const data = Uint32Array.from({ length: 20000 }, (_, i) => ((i >> 2) * 2654435761) >>> 0);
    expect(k.scan(data, [4, 50, 100], true)).toEqual(refScan(data, [4, 50, 100], true));
  });

  it("countUnder matches the reference", () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => regionArb(c.data.length).map((region) => ({ ...c, region }))),
        ({ data, region }) => {
          expect(k.countUnder(data, region)).toEqual(refCountUnder(data, region));
        },
      ),
      RUNS,
    );
  });

  it("equals matches the reference, with and without invert", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), fc.nat(), ({ bitDepth, data }, invert, pick) => {
        const candidates = [...interestingLabels(bitDepth), ...Array.from(data.slice(0, 3))];
        const label = candidates[pick % candidates.length]!;
        expect(k.equals(data, label, invert)).toEqual(refEquals(data, label, invert));
      }),
      RUNS,
    );
  });

  it("equals covers every edge length at every bit depth, labels at the top of the range", () => {
    for (const bitDepth of BIT_DEPTHS) {
      for (const n of EDGE_LENGTHS) {
        const max = maxOf(bitDepth);
        const data = arrayFor(bitDepth, Array.from({ length: n }, (_, i) => (i % 3 === 0 ? max : i % 2)));
        for (const label of [0, 1, max]) {
          expect(k.equals(data, label, false)).toEqual(refEquals(data, label, false));
          expect(k.equals(data, label, true)).toEqual(refEquals(data, label, true));
        }
      }
    }
  });

  it("select (multi-label union) matches the reference for any label set", () => {
    fc.assert(
      fc.property(caseArb, fc.array(fc.nat(), { maxLength: 12 }), ({ bitDepth, data }, picks) => {
        const pool = [...interestingLabels(bitDepth), ...Array.from(new Set(data)).slice(0, 20)];
        const labels = picks.map((p) => pool[p % pool.length]!);
        expect(k.select(data, labels)).toEqual(refSelect(data, labels));
      }),
      RUNS,
    );
  });

  it("select with every 8-bit label at once, and edge lengths", () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    for (const n of EDGE_LENGTHS) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 255);
      expect(k.select(data, all)).toEqual(refSelect(data, all));
      const odd = all.filter((v) => v % 3 === 1);
      expect(k.select(data, odd)).toEqual(refSelect(data, odd));
    }
  });

  it("select and equals on mostly-background volumes: labels at the edges of 64-voxel blocks", () => {
    // The 8-bit union skips all-background 64-voxel blocks; a label on a block's first or
    // last voxel, or background itself in the set, must still come out right.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 700 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 5 }),
        (n, spots, labels) => {
          const data = new Uint8Array(n);
          for (const [at, label] of spots) if (n > 0) data[[0, 63, 64, 127, 128, at][at % 6]! % n] = label;
          for (const set of [labels, [0, ...labels]]) expect(k.select(data, set)).toEqual(refSelect(data, set));
          for (const label of [0, ...labels]) expect(k.equals(data, label, false)).toEqual(refEquals(data, label, false));
        },
      ),
      RUNS,
    );
  });

  it("select on 16- and 32-bit labels: sets of 1 to 6 runs of consecutive labels, at the ends of the range too", () => {
    // Up to 4 runs take the interval kernel, more the lookup: both must agree with the reference.
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 300 }),
        (depth, runs, n) => {
          const max = 2 ** depth - 1;
          const starts = [0, 1, max - 2, max];
          const labels = runs.flatMap(([at, length]) => {
            const lo = at % 3 === 0 ? starts[at % starts.length]! : at % max;
            return Array.from({ length: length + 1 }, (_, i) => Math.min(max, lo + i));
          });
          const pool = [...labels, 0, 5, max, max - 1];
          const data = depth === 16 ? Uint16Array.from({ length: n }, (_, i) => pool[(i * 7) % pool.length]!) : Uint32Array.from({ length: n }, (_, i) => pool[(i * 7) % pool.length]!);
          expect(k.select(data, labels)).toEqual(refSelect(data, labels));
        },
      ),
      RUNS,
    );
  });

  it("binary masks into new memory: voxels near page and chunk edges, far apart, at 8 and 16 bits", () => {
    // Into fresh memory the WASM build copies out only the spans of a chunk that hold
    // voxels (4 KiB blocks apart): every voxel must arrive, whatever block or chunk it is in.
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
    const edges = [0, 1, 4095, 4096, 4097, 8191, 8192, 12288, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 4096, 2 * CHUNK_BYTES - 1];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 * CHUNK_BYTES + 5000 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })), { maxLength: 12 }),
        fc.boolean(),
        (n, spots, wide) => {
          const data = wide ? new Uint16Array(n) : new Uint8Array(n);
          for (const [at, label] of spots) if (n > 0) data[(at % 3 === 0 ? edges[at % edges.length]! : at) % n] = wide ? label * 300 : label;
          const one = wide ? 300 : 1;
          expect(same(k.equals(data, one, false), refEquals(data, one, false))).toBe(true);
          expect(same(k.select(data, [one, 3 * one]), refSelect(data, [one, 3 * one]))).toBe(true);
          expect(same(k.equals(data, 0, true), refEquals(data, 0, true))).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("equals and select on views at any byte offset, into outputs at any offset", () => {
    fc.assert(
      fc.property(volumeArb(8, 70), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.nat(), fc.boolean(), (values, dataAt, outAt, pick, invert) => {
        const backing = new Uint8Array(values.length + 4);
        backing.set(values, dataAt);
        const data = backing.subarray(dataAt, dataAt + values.length);
        const label = [0, 1, 255, ...Array.from(values.slice(0, 3))][pick % (3 + Math.min(3, values.length))]!;
        const out = new Uint8Array(values.length + 4).fill(9).subarray(outAt, outAt + values.length);
        expect(k.equals(data, label, invert, out)).toEqual(refEquals(data, label, invert));
        const set = [label, (label + 1) & 255, ...(invert ? [0] : [])];
        expect(k.select(data, set, out)).toEqual(refSelect(data, set));
      }),
      RUNS,
    );
  });

  it("equals and select with accumulate OR into what out holds (a union across layers), at any offset and edge length", () => {
    const or = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v | b[i]!);
    fc.assert(
      fc.property(
        caseArb.chain((c) => regionArb(c.data.length).map((prior) => ({ ...c, prior }))),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.boolean(),
        ({ bitDepth, data, prior }, outAt, pick, invert) => {
          const candidates = [...interestingLabels(bitDepth), ...Array.from(data.slice(0, 3))];
          const label = candidates[pick % candidates.length]!;
          const fresh = () => {
            const out = new Uint8Array(data.length + 4).fill(7).subarray(outAt, outAt + data.length);
            out.set(prior.map((v) => (v ? 1 : 0)));
            return out;
          };
          const before = fresh().slice();
          expect(k.equals(data, label, invert, fresh(), true)).toEqual(or(before, refEquals(data, label, invert)));
          const set = [label, candidates[(pick + 1) % candidates.length]!, ...(invert ? [0] : [])];
          expect(k.select(data, set, fresh(), true)).toEqual(or(before, refSelect(data, set)));
          expect(k.equals(data, maxOf(bitDepth) + 1, invert, fresh(), true)).toEqual(or(before, refEquals(data, -1, invert)));
        },
      ),
      RUNS,
    );
    for (const bitDepth of BIT_DEPTHS) {
      const labels = interestingLabels(bitDepth);
      for (const n of EDGE_LENGTHS) {
        const data = arrayFor(bitDepth, Array.from({ length: n }, (_, i) => labels[(i * 5) % labels.length]!));
        const prior = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
        const set = labels.slice(1, 3);
        expect(k.select(data, set, prior.slice(), true)).toEqual(or(prior, refSelect(data, set)));
        expect(k.equals(data, 0, true, prior.slice(), true)).toEqual(or(prior, refEquals(data, 0, true)));
      }
    }
  });

  it("selectLayers is the OR of each part's selection over its range, 0 elsewhere, in one pass (into out, fresh, or a resident memory)", () => {
    const partArb = (bitDepth: BitDepth, n: number) =>
      fc.record({
        values: volumeArb(bitDepth, n),
        a: fc.nat(n),
        b: fc.nat(n),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        invert: fc.boolean(),
      });
    const caseArb = fc.constantFrom<BitDepth>(8, 16, 32).chain((bitDepth) =>
      fc.integer({ min: 0, max: 300 }).chain((n) => fc.tuple(fc.constant(bitDepth), fc.constant(n), fc.array(partArb(bitDepth, n), { minLength: 1, maxLength: 4 }), fc.boolean())),
    );
    fc.assert(
      fc.property(caseArb, ([bitDepth, n, specs, whole]) => {
        const parts = specs.map((p, i) => {
          const labels = p.picks.map((k) => [...interestingLabels(bitDepth), ...Array.from(p.values.slice(0, 4))][k % (interestingLabels(bitDepth).length + Math.min(4, p.values.length))]!);
          const [from, to] = i === 0 && whole ? [0, n] : [Math.min(p.a, p.b), Math.max(p.a, p.b)];
          return { data: p.values, labels: p.invert ? labels.slice(0, 1) : labels, invert: p.invert, from, to };
        });
        const expected = new Uint8Array(n);
        for (const p of parts) {
          const hits = p.invert ? refEquals(p.data, p.labels[0]!, true) : refSelect(p.data, p.labels);
          for (let i = p.from; i < p.to; i++) expected[i] = expected[i]! | hits[i]!;
        }
        expect(k.selectLayers(parts, n)).toEqual(expected);
        expect(k.selectLayers(parts, n, new Uint8Array(n + 3).fill(9)).subarray(0, n)).toEqual(expected);
      }),
      RUNS,
    );
    expect(codeOf(() => k.selectLayers([{ data: new Uint8Array(4), labels: [1], from: 2, to: 5 }], 4))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => k.selectLayers([{ data: new Uint8Array(4), labels: [1, 2], invert: true, from: 0, to: 4 }], 4))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => k.selectLayers([], 4, new Uint8Array(3)))).toBe("INVALID_ARGUMENT");
    if (k.name === "wasm") {
      // Layers and the output in one resident memory: in place, no copy.
      const n = 5000;
      const { layers, maskBuffer } = residentArrays(2, n, 1 << 20, 2);
      layers[0]!.set(Uint16Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 3 : 0)));
      layers[1]!.set(Uint16Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 900 : 0)));
      const parts = [{ data: layers[0]!, labels: [3], from: 0, to: n }, { data: layers[1]!, labels: [900], from: 1000, to: 4000 }];
      const expected = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 || (i >= 1000 && i < 4000 && i % 11 === 0) ? 1 : 0));
      expect(k.selectLayers(parts, n, maskBuffer)).toBe(maskBuffer);
      expect(maskBuffer).toEqual(expected);
      expect(k.selectLayers(parts.map((p) => ({ ...p, labels: [0], invert: true })), n)).toEqual(Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 || (i >= 1000 && i < 4000 && i % 11 === 0) ? 1 : 0)));
    }
  });

  it("accumulate without an out big enough is INVALID_ARGUMENT, nothing written", () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(codeOf(() => k.equals(data, 1, false, undefined, true))).toBe("INVALID_ARGUMENT");
    const short = new Uint8Array(2);
    expect(codeOf(() => k.select(data, [1], short, true))).toBe("INVALID_ARGUMENT");
    expect([...short]).toEqual([0, 0]);
  });

  it("contains matches the reference: random volumes, a label only in the last voxel, labels out of range", () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ bitDepth, data }, pick) => {
        const candidates = [...interestingLabels(bitDepth), ...Array.from(data.slice(-3))];
        const label = candidates[pick % candidates.length]!;
        expect(k.contains(data, label)).toBe(refContains(data, label));
      }),
      RUNS,
    );
    for (const bitDepth of BIT_DEPTHS) {
      for (const n of EDGE_LENGTHS) {
        if (n === 0) continue;
        const max = maxOf(bitDepth);
        const data = arrayFor(bitDepth, new Array(n).fill(0));
        expect(k.contains(data, max)).toBe(false);
        data[n - 1] = max;
        expect(k.contains(data, max)).toBe(true);
        expect(k.contains(data, max + 1)).toBe(false);
        expect(k.contains(data, 0.5)).toBe(false);
        // A label no voxel of this depth can hold is never equal (not truncated to one).
        for (const invert of [false, true]) expect(k.equals(data, max + 1, invert)).toEqual(refEquals(data, max + 1, invert));
      }
    }
  });

  it("paint (and paintCounting, which also counts what countUnder counts) match the reference, overwrite and keep", () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => regionArb(c.data.length).map((region) => ({ ...c, region }))),
        fc.boolean(),
        fc.nat(),
        ({ bitDepth, data, region }, keep, pick) => {
          const labels = interestingLabels(bitDepth).filter((l) => l > 0);
          const label = labels[pick % labels.length]!;
          const expected = refPaint(data, region, label, keep);
          const target = data.slice() as LabelArray;
          expect(k.paint(target, region, label, keep)).toBe(expected.painted);
          expect(target).toEqual(expected.data);
          const counted = data.slice() as LabelArray;
          expect(k.paintCounting(counted, region, label, keep)).toEqual({ under: refCountUnder(data, region), painted: expected.painted });
          expect(counted).toEqual(expected.data);
        },
      ),
      RUNS,
    );
  });

  it("countOverlap matches the reference within any box", () => {
    const arb = dimsArb
      .filter((d) => volume(d) > 0)
      .chain((dims) =>
        fc.record({
          dims: fc.constant(dims),
          a: regionArb(volume(dims)),
          b: regionArb(volume(dims)),
          z: fc.tuple(fc.nat(dims[0] - 1), fc.nat(dims[0] - 1)),
          y: fc.tuple(fc.nat(dims[1] - 1), fc.nat(dims[1] - 1)),
          x: fc.tuple(fc.nat(dims[2] - 1), fc.nat(dims[2] - 1)),
        }),
      );
    fc.assert(
      fc.property(arb, ({ dims, a, b, z, y, x }) => {
        const box: Box6 = [Math.min(...z), Math.min(...y), Math.min(...x), Math.max(...z), Math.max(...y), Math.max(...x)];
        expect(k.countOverlap(a, b, dims, box)).toBe(refCountOverlap(a, b, dims, box));
      }),
      RUNS,
    );
  });

  it("occupied finds the first and last labelled voxel (random volumes)", () => {
    fc.assert(
      fc.property(caseArb, ({ data }) => {
        expect(k.occupied(data)).toEqual(refOccupied(data));
      }),
      RUNS,
    );
  });

  it("occupied on mostly-background volumes: one or two labels anywhere, any offset, every bit depth", () => {
    // Lengths past 128 bytes reach the block loops.
    fc.assert(
      fc.property(sparseVolumeArb(EDGE_LENGTHS), (data) => {
        expect(k.occupied(data)).toEqual(refOccupied(data));
      }),
      { numRuns: 300 },
    );
  });

  it("scanEncode equals scan with boxes plus encodeRows of each slab", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 12 }), ({ dims, data }, slabRows) => {
        const rows = dims[0] * dims[1], nx = dims[2];
        const streams: Uint8Array[] = [];
        for (let r = 0; r < rows; r += slabRows) {
          const end = Math.min(rows, r + slabRows);
          streams.push(refEncodeRows(data.subarray(r * nx, end * nx) as LabelArray, end - r, nx));
        }
        expect(k.scanEncode(data, dims, slabRows)).toEqual({ scan: refScan(data, dims, true), streams });
      }),
      RUNS,
    );
    // A slab of no rows would never end: refused.
    expect(codeOf(() => k.scanEncode(new Uint8Array(4), [1, 2, 2], 0))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => k.scanEncode(new Uint8Array(4), [1, 2, 2], 1.5))).toBe("INVALID_ARGUMENT");
  });

  it("encodeRows gives the reference bytes and decodeRows inverts it", () => {
    fc.assert(
      fc.property(caseArb, ({ bitDepth, dims, data }) => {
        const rows = dims[0] * dims[1], nx = dims[2];
        const encoded = k.encodeRows(data, rows, nx);
        expect(encoded).toEqual(refEncodeRows(data, rows, nx));
        const out = arrayFor(bitDepth, new Array(data.length).fill(7 % (maxOf(bitDepth) + 1)));
        expect(k.decodeRows(encoded, rows, nx, maxOf(bitDepth), out)).toBe(true);
        expect(out).toEqual(data);
        // Into zeroed memory, background may be skipped: the result is the same.
        const zeroed = arrayFor(bitDepth, new Array(data.length).fill(0));
        expect(k.decodeRows(encoded, rows, nx, maxOf(bitDepth), zeroed, true)).toBe(true);
        expect(zeroed).toEqual(data);
      }),
      RUNS,
    );
  });

  it("decodeRows writes background only where needed, and rows of every width and bit depth", () => {
    for (const bitDepth of BIT_DEPTHS) {
      for (const nx of [1, 3, 15, 16, 17, 33, 4097]) {
        // Background rows, a labelled row, rows equal to it, background again, at the ends too.
        const rows = 9;
        const data = arrayFor(bitDepth, new Array(rows * nx).fill(0));
        const max = maxOf(bitDepth);
        for (const r of [0, 3, 4, 5, 8]) for (let x = 0; x < nx; x += 2) data[r * nx + x] = r === 8 ? 1 : max;
        const encoded = k.encodeRows(data, rows, nx);
        for (const zeroed of [false, true]) {
          const out = arrayFor(bitDepth, new Array(rows * nx).fill(zeroed ? 0 : 1));
          expect(k.decodeRows(encoded, rows, nx, max, out, zeroed)).toBe(true);
          expect(out).toEqual(data);
        }
      }
    }
  });

  it("decodeRows refuses labels above maxLabel and malformed streams, never writing out of bounds", () => {
    const data = Uint8Array.from([0, 0, 2, 2, 1, 0, 0, 0, 2, 2, 1, 0]);
    const encoded = k.encodeRows(data, 2, 6);
    expect(k.decodeRows(encoded, 2, 6, 1, new Uint8Array(12))).toBe(false);
    expect(k.decodeRows(encoded, 3, 6, 2, new Uint8Array(18))).toBe(false); // more rows than encoded
    expect(k.decodeRows(encoded.subarray(0, encoded.length - 1), 2, 6, 2, new Uint8Array(12))).toBe(false);
    fc.assert(
      fc.property(caseArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), ({ bitDepth, dims, data }, edits, cut) => {
        const rows = dims[0] * dims[1], nx = dims[2];
        const stream = k.encodeRows(data, rows, nx).slice();
        for (const [at, value] of edits) stream[at % stream.length] = value;
        const guard = 3;
        const out = arrayFor(bitDepth, new Array(data.length + guard).fill(0));
        const ok = k.decodeRows(stream.subarray(0, stream.length - (cut % 2 ? cut % stream.length : 0)), rows, nx, maxOf(bitDepth), out.subarray(0, data.length) as typeof out);
        expect(typeof ok).toBe("boolean");
        expect(Array.from(out.subarray(data.length))).toEqual([0, 0, 0]);
      }),
      RUNS,
    );
  });

  it("largest matches the reference at every bit depth, random and at edge lengths", () => {
    const refLargest = (data: LabelArray) => Array.from(data).reduce((m, v) => Math.max(m, v), 0);
    fc.assert(
      fc.property(caseArb, ({ data }) => {
        expect(k.largest(data)).toBe(refLargest(data));
      }),
      RUNS,
    );
    for (const bitDepth of BIT_DEPTHS) {
      const labels = interestingLabels(bitDepth);
      for (const n of EDGE_LENGTHS) {
        for (const at of [0, n - 1, n >> 1]) {
          // One large value anywhere (a vector's lane, the tail), the rest small.
          const data = arrayFor(bitDepth, Array.from({ length: n }, (_, i) => (i === at ? labels[labels.length - 1]! : labels[i % 2]!)));
          expect(k.largest(data)).toBe(refLargest(data));
        }
      }
    }
  });

  it("unpackBits matches the reference: random bits, any length, zeroed or over old contents, any alignment", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.boolean(), (packed, cut, shift, zeroed) => {
        const count = packed.length === 0 ? 0 : packed.length * 8 - (cut % 8);
        // `shift` bytes in: an out that is not on a word boundary.
        const out = new Uint8Array(count + shift).fill(zeroed ? 0 : 0xab).subarray(shift);
        const before = packed.slice();
        k.unpackBits(packed, out, zeroed);
        expect(out).toEqual(refUnpackBits(packed, count));
        expect(packed).toEqual(before);
      }),
      RUNS,
    );
  });

  it("unpackBits at edge lengths ignores the pad bits of a last partial byte", () => {
    for (const n of [...EDGE_LENGTHS, 7, 8, 9]) {
      const packed = Uint8Array.from({ length: Math.ceil(n / 8) }, (_, i) => (i * 37 + 11) & 255);
      if (n % 8) packed[packed.length - 1]! |= 0xff >> n % 8; // pad bits set: not voxels
      for (const zeroed of [false, true]) {
        const out = new Uint8Array(n).fill(zeroed ? 0 : 7);
        k.unpackBits(packed, out, zeroed);
        expect(out).toEqual(refUnpackBits(packed, n));
      }
    }
  });

  it("unpackBits over a volume of many chunks, all background and all set", () => {
    const n = 2 * CHUNK_BYTES + 77;
    const packed = Uint8Array.from({ length: Math.ceil(n / 8) }, (_, i) => (i % 5 === 0 ? 0 : (i * 131) & 255));
    const out = new Uint8Array(n).fill(9);
    k.unpackBits(packed, out);
    const expected = refUnpackBits(packed, n);
    expect(out.findIndex((v, i) => v !== expected[i])).toBe(-1);
    const zeros = new Uint8Array(n);
    k.unpackBits(new Uint8Array(packed.length), zeros, true);
    expect(zeros.every((v) => v === 0)).toBe(true);
    k.unpackBits(new Uint8Array(packed.length).fill(255), out);
    expect(out.every((v) => v === 1)).toBe(true);
  });

  it("bitRuns matches the reference: random bits (sparse, dense, runs), any start and count", () => {
    const bits = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => b.map((v) => (v < 230 ? 0 : v))), // mostly empty, as segment frames
      fc.uint8Array({ maxLength: 400 }).map((b) => b.map((v) => (v < 100 ? 0 : v < 200 ? 255 : v))), // long runs of 0 and 1
    );
    fc.assert(
      fc.property(bits, fc.nat(), fc.nat(), (packed, a, b) => {
        const total = packed.length * 8;
        const start = total === 0 ? 0 : a % (total + 1);
        const count = total - start === 0 ? 0 : b % (total - start + 1);
        expect(k.bitRuns(packed, start, count)).toEqual(refBitRuns(packed, start, count));
      }),
      { numRuns: 200 },
    );
  });

  it("bitRuns at edge sizes, over many chunks, all empty and all set", () => {
    // Past the WASM adapter's 64 KiB steps (and a tiny-chunk instance's 16-byte ones).
    const big = 3 * 64 * 1024 + 13;
    const packed = Uint8Array.from({ length: big }, (_, i) => (i % 97 < 40 ? 0 : i % 97 < 60 ? 255 : (i * 131) & 255));
    for (const start of [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129]) {
      for (const count of [...EDGE_LENGTHS, 63, 64, 65, 127, 128, 129, 1000]) {
        expect(k.bitRuns(packed, start, count), `${start}+${count}`).toEqual(refBitRuns(packed, start, count));
      }
    }
    for (const start of [0, 9, 65]) expect(k.bitRuns(packed, start, big * 8 - start), `${start} to the end`).toEqual(refBitRuns(packed, start, big * 8 - start));
    expect(k.bitRuns(new Uint8Array(big), 3, big * 8 - 3)).toEqual(new Int32Array(0));
    expect(k.bitRuns(new Uint8Array(big).fill(255), 3, big * 8 - 3)).toEqual(Int32Array.of(0, big * 8 - 3));
  });

  it("bitRuns refuses bits past the end, and counts that are not whole", () => {
    expect(codeOf(() => k.bitRuns(new Uint8Array(2), 9, 8))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => k.bitRuns(new Uint8Array(2), -1, 3))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => k.bitRuns(new Uint8Array(2), 0, 1.5))).toBe("INVALID_ARGUMENT");
  });

  it("unpackBits refuses too few packed bytes before writing", () => {
    const out = new Uint8Array(17).fill(5);
    expect(codeOf(() => k.unpackBits(new Uint8Array(2), out))).toBe("INVALID_ARGUMENT");
    expect(out.every((v) => v === 5)).toBe(true);
  });

  it("packBits matches the reference: random voxels (0/1 and any byte), any length, any alignment, into a fresh or a given array", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.boolean(), (bytes, binary, shift, given) => {
        const data = new Uint8Array(bytes.length + shift).subarray(shift);
        data.set(binary ? bytes.map((b) => b & 1) : bytes);
        const before = data.slice();
        const out = given ? new Uint8Array(Math.ceil(data.length / 8) + 2).fill(0xcd) : undefined;
        const packed = k.packBits(data, out);
        expect(packed.subarray(0, Math.ceil(data.length / 8))).toEqual(refPackBits(data));
        if (out) {
          expect(packed).toBe(out);
          expect(Array.from(out.subarray(Math.ceil(data.length / 8)))).toEqual([0xcd, 0xcd]); // nothing past the packed bytes
        } else expect(packed.length).toBe(Math.ceil(data.length / 8));
        expect(data).toEqual(before);
        // The inverse of unpackBits (the pad bits of a last partial byte are zero).
        expect(refUnpackBits(packed, data.length)).toEqual(data.map((v) => (v ? 1 : 0)));
      }),
      RUNS,
    );
  });

  it("packBits at edge lengths and over a volume of many chunks", () => {
    for (const n of [...EDGE_LENGTHS, 7, 8, 9, 15, 16, 17, 2 * CHUNK_BYTES + 77]) {
      const data = Uint8Array.from({ length: n }, (_, i) => ((i * 37 + 11) % 5 === 0 ? 0 : (i * 13) % 3));
      expect(k.packBits(data)).toEqual(refPackBits(data));
      expect(k.packBits(new Uint8Array(n).fill(1))).toEqual(refPackBits(new Uint8Array(n).fill(1)));
    }
  });

  it("packBits refuses an output too short before writing", () => {
    const out = new Uint8Array(2).fill(5);
    expect(codeOf(() => k.packBits(new Uint8Array(17), out))).toBe("INVALID_ARGUMENT");
    expect(Array.from(out)).toEqual([5, 5]);
  });

  it("kernels never modify their inputs (except the volume paint and paintCounting paint)", () => {
    const data = Uint16Array.from({ length: 100 }, (_, i) => i % 7);
    const region = Uint8Array.from({ length: 100 }, (_, i) => i % 2);
    const before = data.slice(), regionBefore = region.slice();
    k.scan(data, [1, 1, 100], true);
    k.countUnder(data, region);
    k.select(data, [1, 2]);
    k.equals(data, 3, false);
    expect(data).toEqual(before);
    k.paint(data.slice(), region, 9, false);
    k.paintCounting(data.slice(), region, 9, false);
    expect(region).toEqual(regionBefore);
  });
});

/** toEqual for big arrays: vitest's deep equality takes seconds per million elements. */
function expectSameVoxels(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  // On a mismatch, show the neighbourhood of the first differing voxel.
  if (i < actual.length) expect({ at: i, got: Array.from(actual).slice(i, i + 8) }).toEqual({ at: i, got: Array.from(expected).slice(i, i + 8) });
}

describe("backends agree", () => {
  it("give the reference results on volumes larger than the streaming chunk", () => {
    // 9 x 181 x 203 = 330,687 voxels: more than one default chunk at every bit depth, with
    // runs (some thousands of voxels long) that cross rows, slices and chunk boundaries.
    const dims: Dims = [9, 181, 203];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) / 65536;
    expect(volume(dims)).toBeGreaterThan(CHUNK_BYTES);
    for (const bitDepth of BIT_DEPTHS) {
      const max = maxOf(bitDepth);
      const values: number[] = [];
      while (values.length < volume(dims)) {
        const label = rand() < 0.5 ? 0 : rand() < 0.05 ? max : Math.floor(rand() * Math.min(max, 300));
        const run = rand() < 0.1 ? Math.floor(rand() * 5000) : 1 + Math.floor(rand() * 40);
        for (let i = 0; i < run; i++) values.push(label);
      }
      const data = arrayFor(bitDepth, values.slice(0, volume(dims)));
      const region = Uint8Array.from(values.slice(0, volume(dims)), (v, i) => (v % 3 === 1 || i % 7 === 0 ? 1 : 0));
      const other = Uint8Array.from(region, (v, i) => (i % 5 === 0 ? 1 - v : v));
      const box: Box6 = [1, 3, 2, 8, 170, 200];
      const expected = {
        scan: refScan(data, dims, true),
        select: refSelect(data, [1, 2, 3, max]),
        equals: refEquals(data, max, false),
        under: refCountUnder(data, region),
        paint: refPaint(data, region, 7, true),
        overlap: refCountOverlap(region, other, dims, box),
      };
      for (const [, k] of backends) {
        expect(k.scan(data, dims, true)).toEqual(expected.scan);
        expectSameVoxels(k.select(data, [1, 2, 3, max]), expected.select);
        expectSameVoxels(k.equals(data, max, false), expected.equals);
        expect(k.countUnder(data, region)).toEqual(expected.under);
        const painted = data.slice() as LabelArray;
        expect(k.paint(painted, region, 7, true)).toBe(expected.paint.painted);
        expectSameVoxels(painted, expected.paint.data);
        const counted = data.slice() as LabelArray;
        const fused = k.paintCounting(counted, region, 7, true);
        expect(fused).toEqual({ under: expected.under, painted: expected.paint.painted });
        expectSameVoxels(counted, expected.paint.data);
        expect(k.countOverlap(region, other, dims, box)).toBe(expected.overlap);
      }
    }
  });

  it("write into a caller's output buffer when one is given", () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => i % 5);
    for (const [, k] of backends) {
      const out = new Uint8Array(1000).fill(9);
      expect(k.equals(data, 2, false, out)).toBe(out);
      expect(out).toEqual(refEquals(data, 2, false));
      out.fill(9);
      expect(k.select(data, [1, 3], out)).toBe(out);
      expect(out).toEqual(refSelect(data, [1, 3]));
    }
  });
});

describe("scanOccupied (the z-trimmed scan masks use)", () => {
  it("gives the reference counts and boxes of every label (background counted, its box not kept)", () => {
    const nonBackground = (r: ScanResult) => {
      const out: Array<[number, number, number[]]> = [];
      r.labels.forEach((l, i) => out.push([l, r.counts[i]!, l === 0 ? [] : Array.from(r.boxes.subarray(i * 6, i * 6 + 6))]));
      return out.sort((a, b) => a[0] - b[0]);
    };
    // Volumes whose labels sit in a few slices, at odd byte offsets and every bit depth.
    const arb = fc.constantFrom(...BIT_DEPTHS).chain((bitDepth) =>
      fc.record({
        bitDepth: fc.constant(bitDepth),
        dims: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 13 })),
        offset: fc.integer({ min: 0, max: 3 }),
        spots: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: maxOf(bitDepth) })), { maxLength: 6 }),
      }),
    );
    for (const [, k] of backends) {
      fc.assert(
        fc.property(arb, ({ bitDepth, dims, offset, spots }) => {
          const n = volume(dims);
          const backing = arrayFor(bitDepth, new Array(n + offset).fill(0));
          const data = backing.subarray(offset) as LabelArray;
          for (const [at, v] of spots) data[at % n] = v;
          expect(nonBackground(scanOccupied(k, data, dims, true))).toEqual(nonBackground(refScan(data, dims, true)));
          expect(nonBackground(scanOccupied(k, data, dims, false)).map(([l, c]) => [l, c])).toEqual(nonBackground(refScan(data, dims, false)).map(([l, c]) => [l, c]));
        }),
        { numRuns: 100 },
      );
    }
  });
});
