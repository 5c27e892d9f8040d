/** A byte range of a file: [offset, offset + length). */
export interface ByteRange {
  offset: number;
  length: number;
}

/** One read that covers several ranges: [from, to) and the ranges in it, by offset. */
export interface ReadBatch<R extends ByteRange> {
  from: number;
  to: number;
  ranges: R[];
}

/**
 * Groups `ranges`, in the order given, into few reads: a range joins the read before it when
 * it lies after it, at most `maxGap` bytes on, and the read stays within `maxBytes` (a
 * range longer than that is a read of its own). Reading a whole archive entry by entry
 * costs one round trip per entry (a file read in Node, a `Blob.slice` in a browser) where
 * one read of them all is one round trip, and the gaps bound
 * what is read for nothing. The order is kept, so entries come out in the archive's order.
 * @example readBatches([{ offset: 8, length: 10 }, { offset: 18, length: 5 }], 1 << 20, 0) // one read of [8, 23)
 */
export function readBatches<R extends ByteRange>(ranges: readonly R[], maxBytes: number, maxGap: number): ReadBatch<R>[] {
  const batches: ReadBatch<R>[] = [];
  let current: ReadBatch<R> | null = null;
  for (const r of ranges) {
    const end = r.offset + r.length;
    if (current && r.offset >= current.to && r.offset - current.to <= maxGap && end - current.from <= maxBytes) {
      current.to = end;
      current.ranges.push(r);
      continue;
    }
    current = { from: r.offset, to: end, ranges: [r] };
    batches.push(current);
  }
  return batches;
}
