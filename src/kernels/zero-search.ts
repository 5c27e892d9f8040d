import { platform } from "../platform.js";
/**
 * The search for background at the ends of a volume (`occupiedSlices`), done in place by
 * the platform where it can. The WASM kernels can read only their own memory, so for
 * ordinary arrays they copy each chunk in before they look at it; Node's `memcmp` reads the
 * array where it is (`npm run bench platform`, "background at the ends").
 * The Node entry registers it; browsers keep the kernels' search.
 */
export interface ZeroSearch {
  /** Zero bytes at the start of `bytes` (its length when all are zero). */
  leadingZeros(bytes: Uint8Array): number;
  /** Zero bytes at the end of `bytes` (its length when all are zero). */
  trailingZeros(bytes: Uint8Array): number;
}

/** The registered in-place search, or null when the kernels search themselves. */
export function zeroSearch(): ZeroSearch | null {
  return platform().zeroSearch;
}
