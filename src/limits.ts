import { InputError, ResourceError, describeValue } from "./errors.js";

// SPEC section 12: every call that decodes or opens data takes `{ maxBytes }`, the most
// memory its result may need; anything that would exceed it (a header's shape, an inflated
// stream, layers) is refused with TOO_LARGE before that memory is allocated or inflated.

/**
 * The default `maxBytes`: 2 GiB. The largest scanner volumes hold 512 x 512 x 2000 voxels,
 * 1 GiB as uint16 labels, so real masks fit with room; a server reading untrusted uploads
 * can lower it (and the CLI's --max-memory raises or lowers it for one run).
 */
export const DEFAULT_MAX_BYTES = 2 ** 31;

/** Options every decoder takes. */
export interface LimitOptions {
  /** The most bytes the result may need (default `DEFAULT_MAX_BYTES`, 2 GiB). */
  maxBytes?: number;
}

/** The `maxBytes` of `options`, checked (a positive integer number of bytes). */
export function maxBytesOf(options: LimitOptions | undefined): number {
  const value = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(Number.isSafeInteger(value) && value > 0)) throw new InputError("INVALID_ARGUMENT", `maxBytes must be a positive whole number of bytes, got ${describeValue(value)}.`);
  return value;
}

/** TOO_LARGE unless `bytes` (what `what` needs) fits `maxBytes`. */
export function checkFits(bytes: number, maxBytes: number, what: string): void {
  if (bytes > maxBytes) {
    throw new ResourceError("TOO_LARGE", `${what} needs ${formatBytes(bytes)}, more than maxBytes (${formatBytes(maxBytes)}); pass a larger { maxBytes } (--max-memory on the command line) if it is expected.`);
  }
}

/** Bytes as a person reads them: 2147483648 -> "2 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${+value.toFixed(2)} ${units[unit]}`;
}
