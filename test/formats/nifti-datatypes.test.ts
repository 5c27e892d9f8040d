// Every NIfTI datatype a label volume comes in (tools write uint8, int16, float32...),
// either byte order, scaled or not, against a plain reference; who owns the voxels after a
// read; and the Blob reader browsers use.
import fc from "fast-check";
import { gzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { Space, niftiBytes, readNifti, readNiftiBlob } from "../../src/index.js";
import { readNiftiTaking } from "../../src/formats/nifti/read.js";
import { codeOf } from "../helpers/errors.js";

const space = new Space({ shape: [2, 3, 5] });
const COUNT = 30;
/** code -> bytes per voxel, DataView setter, value range that type can store. */
const TYPES: Record<number, { bytes: number; set: (v: DataView, at: number, x: number, le: boolean) => void; min: number; max: number }> = {
  2: { bytes: 1, set: (v, at, x) => v.setUint8(at, x), min: 0, max: 255 },
  256: { bytes: 1, set: (v, at, x) => v.setInt8(at, x), min: -128, max: 127 },
  4: { bytes: 2, set: (v, at, x, le) => v.setInt16(at, x, le), min: -32768, max: 32767 },
  512: { bytes: 2, set: (v, at, x, le) => v.setUint16(at, x, le), min: 0, max: 65535 },
  8: { bytes: 4, set: (v, at, x, le) => v.setInt32(at, x, le), min: -(2 ** 31), max: 2 ** 31 - 1 },
  768: { bytes: 4, set: (v, at, x, le) => v.setUint32(at, x, le), min: 0, max: 2 ** 32 - 1 },
  16: { bytes: 4, set: (v, at, x, le) => v.setFloat32(at, x, le), min: -1e6, max: 1e6 },
  64: { bytes: 8, set: (v, at, x, le) => v.setFloat64(at, x, le), min: -1e9, max: 1e9 },
};

/** A NIfTI-1 file of `values` stored as datatype `code`, in either byte order, with scaling. */
function niftiOf(values: readonly number[], code: number, le: boolean, slope = 1, inter = 0): Uint8Array {
  const template = niftiBytes(new Uint8Array(COUNT), space, { gzip: false });
  const offset = new DataView(template.buffer).getFloat32(108, true);
  const type = TYPES[code]!;
  const out = new Uint8Array(offset + COUNT * type.bytes);
  out.set(template.subarray(0, offset));
  const view = new DataView(out.buffer);
  if (!le) {
    // Every header field in big-endian order: re-write the ones readers look at.
    const src = new DataView(template.buffer);
    view.setInt32(0, 348, false);
    for (let i = 0; i < 8; i++) view.setInt16(40 + 2 * i, src.getInt16(40 + 2 * i, true), false);
    for (let i = 0; i < 8; i++) view.setFloat32(76 + 4 * i, src.getFloat32(76 + 4 * i, true), false);
    view.setFloat32(108, offset, false);
    view.setInt16(252, src.getInt16(252, true), false);
    view.setInt16(254, src.getInt16(254, true), false);
    for (let i = 0; i < 6; i++) view.setFloat32(256 + 4 * i, src.getFloat32(256 + 4 * i, true), false);
    for (let i = 0; i < 12; i++) view.setFloat32(280 + 4 * i, src.getFloat32(280 + 4 * i, true), false);
  }
  view.setInt16(70, code, le);
  view.setInt16(72, type.bytes * 8, le);
  view.setFloat32(112, slope, le);
  view.setFloat32(116, inter, le);
  values.forEach((x, i) => type.set(view, offset + i * type.bytes, x, le));
  return out;
}

/** What a reader must give: the label values, in the smallest unsigned type, or an error. */
function reference(values: readonly number[], code: number, slope: number, inter: number): { array: string; values: number[] } | "BAD_FORMAT" {
  const scaled = slope !== 0 && (slope !== 1 || inter !== 0);
  const stored = code === 16 ? values.map(Math.fround) : values;
  const labels = stored.map((v) => (scaled ? v * slope + inter : v));
  if (labels.some((v) => !(v >= 0) || !Number.isInteger(v) || v > 0xffffffff)) return "BAD_FORMAT";
  const max = Math.max(0, ...labels);
  return { array: max <= 0xff ? "Uint8Array" : max <= 0xffff ? "Uint16Array" : "Uint32Array", values: labels };
}

const caseArb = fc.constantFrom(...Object.keys(TYPES).map(Number)).chain((code) => {
  const { min, max } = TYPES[code]!;
  const small = fc.integer({ min: Math.max(min, -3), max: Math.min(max, 300) });
  const any = fc.integer({ min, max });
  return fc.record({
    code: fc.constant(code),
    le: fc.boolean(),
    values: fc.array(fc.oneof(small, small, any, ...(code === 16 || code === 64 ? [fc.constantFrom(0.5, Number.NaN)] : [])), { minLength: COUNT, maxLength: COUNT }),
    scale: fc.constantFrom<[number, number]>([1, 0], [1, 0], [0, 0], [2, 0], [1, 5], [0.5, 0]),
  });
});

describe("NIfTI datatypes", () => {
  it("reads every datatype, byte order and scaling as the reference does", () => {
    fc.assert(
      fc.property(caseArb, ({ code, le, values, scale: [slope, inter] }) => {
        const bytes = niftiOf(values, code, le, slope, inter);
        const want = reference(values, code, slope, inter);
        if (want === "BAD_FORMAT") {
          expect(codeOf(() => readNifti(bytes))).toBe("BAD_FORMAT");
          return;
        }
        const { data } = readNifti(bytes);
        expect(data.constructor.name).toBe(want.array);
        expect(Array.from(data)).toEqual(want.values);
      }),
      { numRuns: 400 },
    );
  });

  it("refuses a single negative or fractional voxel wherever it is, naming it", () => {
    for (const [code, bad] of [[256, -1], [4, -1], [8, -1], [16, -1], [16, 0.5], [64, 2.25]] as const) {
      for (const at of [0, 1, COUNT - 1]) {
        const values = new Array(COUNT).fill(3);
        values[at] = bad;
        for (const le of [true, false]) expect(() => readNifti(niftiOf(values, code, le))).toThrow(new RegExp(`voxel ${at} is ${bad}`));
      }
    }
  });

  it("copies the caller's bytes, keeps bytes handed over, and never aliases a gzip input", () => {
    const values = Array.from({ length: COUNT }, (_, i) => i % 7);
    for (const code of [2, 512]) {
      const bytes = niftiOf(code === 512 ? values.map((v) => v * 1000) : values, code, true);
      const copied = readNifti(bytes).data;
      const taken = readNiftiTaking(bytes).data;
      expect(copied.buffer).not.toBe(bytes.buffer);
      expect(taken.buffer).toBe(bytes.buffer);
      const before = Array.from(copied);
      bytes.fill(0xee, bytes.length - COUNT);
      expect(Array.from(copied)).toEqual(before);
      const gz = gzipSync(niftiOf(values, code, true));
      expect(readNifti(gz).data.buffer).not.toBe(gz.buffer);
    }
  });

  it("keeps the voxels of bytes handed over as a view into a larger buffer (as zlib returns them)", () => {
    const values = Array.from({ length: COUNT }, (_, i) => (i * 5) % 9);
    for (const code of [2, 512]) {
      const file = niftiOf(code === 512 ? values.map((v) => v * 1000) : values, code, true);
      // 8 bytes before and 3 after: zlib hands back a slice of its output chunk.
      const larger = new Uint8Array(file.length + 11).fill(0x5a);
      larger.set(file, 8);
      const view = larger.subarray(8, 8 + file.length);
      const taken = readNiftiTaking(view).data;
      expect(Array.from(taken)).toEqual(Array.from(readNifti(file).data));
      expect(taken.buffer).toBe(larger.buffer);
      // The caller's view is copied, never aliased.
      expect(readNifti(view).data.buffer).not.toBe(larger.buffer);
    }
  });
});

describe("NIfTI voxels at an odd byte offset", () => {
  it("read the same as aligned ones, for every integer type and byte order", () => {
    const values = Array.from({ length: COUNT }, (_, i) => (i * 11) % 120);
    for (const code of [2, 256, 4, 512, 8, 768]) {
      for (const le of [true, false]) {
        const file = niftiOf(values, code, le);
        const shifted = new Uint8Array(file.length + 1);
        shifted.set(file, 1);
        const odd = shifted.subarray(1);
        const expected = Array.from(readNifti(file).data);
        expect(Array.from(readNifti(odd).data)).toEqual(expected);
        expect(Array.from(readNiftiTaking(odd).data)).toEqual(expected);
      }
    }
  });
});

describe("readNiftiBlob", () => {
  it("gives what readNifti gives, gzipped or not", async () => {
    const raw = niftiOf(Array.from({ length: COUNT }, (_, i) => (i * 37) % 300), 4, true);
    for (const bytes of [raw, gzipSync(raw)]) {
      const fromBlob = await readNiftiBlob(new Blob([bytes as BlobPart]));
      const direct = readNifti(bytes);
      expect(fromBlob.data).toEqual(direct.data);
      expect(fromBlob.space.equals(direct.space, 0)).toBe(true);
    }
  });

  it("inflates into the buffer it is given when that is large enough, and only then", async () => {
    const values = Array.from({ length: COUNT }, (_, i) => (i * 7) % 5);
    const gz = gzipSync(niftiOf(values, 2, true));
    const expected = Array.from(readNifti(gz).data);
    const big = new Uint8Array(352 + COUNT + 100).fill(0xee);
    const read = await readNiftiBlob(new Blob([gz as BlobPart]), { into: big });
    expect(read.data.buffer).toBe(big.buffer);
    expect(Array.from(read.data)).toEqual(expected);
    // Reused for the next file, whatever the last one left in it.
    const other = Array.from({ length: COUNT }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const again = await readNiftiBlob(new Blob([gzipSync(niftiOf(other, 2, true)) as BlobPart]), { into: big });
    expect(again.data.buffer).toBe(big.buffer);
    expect(Array.from(again.data)).toEqual(other);
    const small = new Uint8Array(100);
    const fresh = await readNiftiBlob(new Blob([gz as BlobPart]), { into: small });
    expect(fresh.data.buffer).not.toBe(small.buffer);
    expect(Array.from(fresh.data)).toEqual(expected);
  });

  it("reads a stream of several gzip members (longer than its last trailer says)", async () => {
    const raw = niftiOf(Array.from({ length: COUNT }, (_, i) => i % 4), 2, true);
    const members = new Uint8Array([...gzipSync(raw.subarray(0, 200)), ...gzipSync(raw.subarray(200))]);
    const fromBlob = await readNiftiBlob(new Blob([members as BlobPart]));
    expect(Array.from(fromBlob.data)).toEqual(Array.from(readNifti(raw).data));
  });

  it("refuses corrupt gzip and streams longer than their trailer with BAD_FORMAT", async () => {
    const gz = gzipSync(niftiOf(new Array(COUNT).fill(1), 2, true));
    const corrupt = gz.slice();
    corrupt[20] = corrupt[20]! ^ 0xff;
    const lying = gz.slice();
    new DataView(lying.buffer).setUint32(lying.length - 4, 100, true);
    for (const bytes of [corrupt, lying, gz.subarray(0, gz.length - 9)]) {
      const error = await readNiftiBlob(new Blob([bytes as BlobPart])).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe("BAD_FORMAT");
    }
  });
});
