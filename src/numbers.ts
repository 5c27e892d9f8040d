// Reductions over data-sized arrays. `Math.max(...values)` passes every value as an argument,
// which overflows the call stack past some hundred thousand values: a file's frame or segment
// count must never reach it.

/** The largest of `values`, or `empty` when there are none. @example maxOf([3, 9, 2]) === 9 */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let best = empty;
  let any = false;
  for (const v of values) {
    best = any ? (v > best ? v : best) : v;
    any = true;
  }
  return any ? best : empty;
}
