import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readBatches, type ByteRange } from "../../src/sources/read-batches.js";

/** Ranges laid out in order with gaps, as an archive's entries are, sometimes shuffled. */
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
  .chain((ranges) => fc.oneof(fc.constant(ranges), fc.shuffledSubarray(ranges, { minLength: ranges.length, maxLength: ranges.length })));

describe("readBatches", () => {
  it("covers every range once, in the order given, within the size and gap limits", () => {
    fc.assert(
      fc.property(layoutArb, fc.integer({ min: 1, max: 800 }), fc.integer({ min: 0, max: 150 }), (ranges, maxBytes, maxGap) => {
        const batches = readBatches(ranges, maxBytes, maxGap);
        expect(batches.flatMap((b) => b.ranges)).toEqual(ranges);
        for (const b of batches) {
          expect(b.from).toBe(b.ranges[0]!.offset);
          expect(b.to).toBe(b.ranges.at(-1)!.offset + b.ranges.at(-1)!.length);
          if (b.ranges.length > 1) expect(b.to - b.from).toBeLessThanOrEqual(maxBytes);
          for (let i = 1; i < b.ranges.length; i++) {
            const gap = b.ranges[i]!.offset - (b.ranges[i - 1]!.offset + b.ranges[i - 1]!.length);
            expect(gap >= 0 && gap <= maxGap).toBe(true);
          }
        }
        // Neighbours are split only where a limit (or going back in the file) says so.
        for (let i = 1; i < batches.length; i++) {
          const prev = batches[i - 1]!, next = batches[i]!.ranges[0]!;
          const fits = next.offset >= prev.to && next.offset - prev.to <= maxGap && next.offset + next.length - prev.from <= maxBytes;
          expect(fits).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reads back-to-back entries in one batch, entries out of file order in several, and none for no entries", () => {
    const ranges: ByteRange[] = [{ offset: 8, length: 10 }, { offset: 18, length: 5 }, { offset: 23, length: 0 }];
    expect(readBatches(ranges, 1 << 20, 0).map((b) => [b.from, b.to, b.ranges.length])).toEqual([[8, 23, 3]]);
    expect(readBatches([ranges[1]!, ranges[0]!], 1 << 20, 0).map((b) => [b.from, b.to])).toEqual([[18, 23], [8, 18]]);
    expect(readBatches([], 100, 0)).toEqual([]);
  });
});
