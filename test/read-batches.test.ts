import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readBatches, type ByteRange } from "../src/format/read-batches.js";

/** Ranges laid out in order with gaps, as an archive's entries are, then shuffled. */
const layoutArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 200 })), { maxLength: 40 })
  .map((parts) => {
    let at = 8;
    return parts.map(([gap, length], id) => {
      const r = { id, offset: at + gap, length };
      at = r.offset + length;
      return r;
    });
  })
  .chain((ranges) => fc.shuffledSubarray(ranges, { minLength: ranges.length, maxLength: ranges.length }));

describe("readBatches", () => {
  it("covers every range once, in offset order, within the size and gap limits", () => {
    fc.assert(
      fc.property(layoutArb, fc.integer({ min: 1, max: 800 }), fc.integer({ min: 0, max: 150 }), (ranges, maxBytes, maxGap) => {
        const batches = readBatches(ranges, maxBytes, maxGap);
        const seen = batches.flatMap((b) => b.ranges);
        expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual(ranges.map((r) => r.id).sort((a, b) => a - b));
        expect(seen.map((r) => r.offset)).toEqual([...ranges].map((r) => r.offset).sort((a, b) => a - b));
        for (const b of batches) {
          for (const r of b.ranges) expect(r.offset >= b.from && r.offset + r.length <= b.to).toBe(true);
          expect(b.from).toBe(b.ranges[0]!.offset);
          expect(b.to).toBe(Math.max(...b.ranges.map((r) => r.offset + r.length)));
          if (b.ranges.length > 1) expect(b.to - b.from).toBeLessThanOrEqual(maxBytes);
          for (let i = 1; i < b.ranges.length; i++) expect(b.ranges[i]!.offset - (b.ranges[i - 1]!.offset + b.ranges[i - 1]!.length)).toBeLessThanOrEqual(maxGap);
        }
        // Neighbours are split only where a limit says so.
        for (let i = 1; i < batches.length; i++) {
          const prev = batches[i - 1]!, next = batches[i]!.ranges[0]!;
          const fits = next.offset - prev.to <= maxGap && Math.max(prev.to, next.offset + next.length) - prev.from <= maxBytes;
          expect(fits).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reads back-to-back entries in one batch, and none for no entries", () => {
    const ranges: ByteRange[] = [{ offset: 8, length: 10 }, { offset: 18, length: 5 }, { offset: 23, length: 0 }];
    expect(readBatches(ranges, 1 << 20, 0).map((b) => [b.from, b.to, b.ranges.length])).toEqual([[8, 23, 3]]);
    expect(readBatches([], 100, 0)).toEqual([]);
  });
});
