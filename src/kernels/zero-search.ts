import { platform, type ZeroSearch } from "../platform.js";
export type { ZeroSearch };

/** The registered in-place search, or null when the kernels search themselves. */
export function zeroSearch(): ZeroSearch | null {
  return platform().zeroSearch;
}
