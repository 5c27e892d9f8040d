import fc from "fast-check";
import { expect } from "vitest";
import { MedMaskError, crc32 } from "../../src/index.js";
import { rewriteNativeHeader } from "./native-file.js";

/** Cases per format: 300 in `npm test`, FUZZ_RUNS (e.g. 10000) in `npm run fuzz`. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** No single decode may take longer than this (a hang shows up as a failure, not a stuck run). */
export const CASE_BUDGET_MS = 2000;

export type Mutation =
  | { kind: "flip"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "extend"; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; bytes: number[] };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("extend" as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 32 }) }) },
);

export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : (m as { at?: number }).at! % (b.length + 1);
    if (m.kind === "flip" && b.length > 0) b[at % b.length] = m.value;
    else if (m.kind === "truncate") b = b.slice(0, at);
    else if (m.kind === "extend") b = new Uint8Array([...b, ...m.bytes]);
    else if (m.kind === "delete") b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.length)]);
    else if (m.kind === "insert") b = new Uint8Array([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
  }
  return b;
}

/**
 * Recomputes a native mask file's header and slab CRCs (where the header still parses), so
 * mutations reach the JSON validation and the decoders instead of stopping at a checksum.
 */
export function fixNativeCrcs(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 16 || String.fromCharCode(...bytes.subarray(0, 4)) !== "MMSK") return bytes;
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const length = view.getUint32(8, true);
  if (16 + length > out.length) return out;
  const json = out.subarray(16, 16 + length);
  view.setUint32(12, crc32(json), true);
  try {
    // The slab CRCs live inside the JSON: rewrite them (and so the header's own CRC).
    return rewriteNativeHeader(out, (header) => {
      type Slab = { offset: number; length: number; crc32: number };
      const layers = Array.isArray(header.layers) ? (header.layers as Array<{ slabs?: Slab[] }>).map((l) => l?.slabs ?? []) : [];
      for (const s of [...((header.slabs as Slab[] | undefined) ?? []), ...layers.flat()]) {
        const start = 16 + length + s.offset;
        if (Number.isInteger(start) && start >= 0 && start + s.length <= out.length) s.crc32 = crc32(out.subarray(start, start + s.length));
      }
    });
  } catch {
    return out;
  }
}

/** Runs a reader on hostile bytes: it must return or throw a MedMaskError, in time. */
export async function expectContained(read: () => unknown): Promise<"ok" | string> {
  const started = performance.now();
  let outcome: "ok" | string = "ok";
  try {
    await read();
  } catch (error) {
    if (!(error instanceof MedMaskError)) {
      throw new Error(`reader threw a non-MedMaskError: ${(error as Error)?.stack ?? String(error)}`);
    }
    outcome = error.code;
  }
  expect(performance.now() - started).toBeLessThan(CASE_BUDGET_MS);
  return outcome;
}
