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
 * Groups `ranges` into few reads: neighbours (at most `maxGap` bytes apart) share a read
 * while it stays within `maxBytes` (a range longer than that is a read of its own). Reading
 * a whole archive entry by entry costs one round trip per entry (117 reads of ~900 bytes
 * took 16-18 ms in Node here, one read of all of them 0.2 ms; in a browser each read is a
 * `Blob.slice`), and the gaps bound what is read for nothing.
 * @example readBatches([{ offset: 8, length: 10 }, { offset: 18, length: 5 }], 1 << 20, 0) // one read of [8, 23)
 */
export function readBatches<R extends ByteRange>(ranges: readonly R[], maxBytes: number, maxGap: number): ReadBatch<R>[] {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  const batches: ReadBatch<R>[] = [];
  let current: ReadBatch<R> | null = null;
  for (const r of sorted) {
    const end = r.offset + r.length;
    if (current && r.offset - current.to <= maxGap && Math.max(current.to, end) - current.from <= maxBytes) {
      current.to = Math.max(current.to, end);
      current.ranges.push(r);
      continue;
    }
    current = { from: r.offset, to: end, ranges: [r] };
    batches.push(current);
  }
  return batches;
}
