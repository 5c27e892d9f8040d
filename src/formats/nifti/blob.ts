import { MedMaskError } from "../../errors.js";
import { concatBytes } from "../../sources/bytes.js";
import { maxBytesOf, type LimitOptions } from "../../limits.js";
import { PastLimitError, boundedTrailerSize, hasNativeGzip } from "../../codecs/gzip.js";
import { isGzip, niftiGzipError, niftiLimitOfHead, readNiftiTaking, type NiftiVolume } from "./read.js";

/** Options of `readNiftiBlob`. */
export interface NiftiBlobOptions extends LimitOptions {
  /**
   * Where to inflate a `.nii.gz` when the platform's `DecompressionStream` does it and these
   * bytes are enough for what the file's gzip trailer declares; a uint8 volume returned is
   * then a view of them. Their contents are unspecified afterwards. A loop over many files
   * can hand on the buffer of a volume it is done with and skip a fresh one per file (its
   * allocation and page faults; the demo page's folder load does, `test/system/browser.test.ts`
   * writes its time to test-results/browser/figures.json).
   */
  into?: Uint8Array;
}

/**
 * Reads a NIfTI-1 file (`.nii` or `.nii.gz`) from a Blob or File, as browsers hand them
 * over. gzip is inflated by the platform's `DecompressionStream` (native zlib in browsers,
 * faster than fflate) straight into one buffer of the size the gzip trailer gives, which
 * then holds the voxels (no second copy); where there is no `DecompressionStream`,
 * `readNifti` inflates with fflate, and in Node with zlib (Node's `DecompressionStream` is
 * web streams written in JavaScript, far slower than zlib). Errors as `readNifti`.
 * @example const { data, space } = await readNiftiBlob(file);
 */
export async function readNiftiBlob(blob: Blob, options: NiftiBlobOptions = {}): Promise<NiftiVolume> {
  const maxBytes = maxBytesOf(options);
  const gzip = isGzip(new Uint8Array(await blob.slice(0, 2).arrayBuffer()));
  if (!gzip || hasNativeGzip() || typeof DecompressionStream !== "function" || blob.size < 18) {
    return readNiftiTaking(new Uint8Array(await blob.arrayBuffer()), { maxBytes });
  }
  const trailer = new DataView(await blob.slice(blob.size - 4).arrayBuffer()).getUint32(0, true);
  const size = boundedTrailerSize(trailer, blob.size);
  // The first chunks are held until the header is in: only then is the volume's buffer
  // sized, by what the header declares (a lying or huge trailer allocates nothing).
  const first: Uint8Array[] = [];
  let have = 0;
  let limit = 0;
  let out: Uint8Array | null = null;
  let at = 0;
  const reader = blob.stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const append = (value: Uint8Array) => {
    if (at + value.length > limit) throw new PastLimitError(limit);
    if (at + value.length > out!.length) {
      // Longer than the trailer says, and still valid: a volume over 4 GiB (the trailer
      // gives the size mod 2^32).
      const grown = new Uint8Array(Math.min(limit, Math.max(2 * out!.length, at + value.length)));
      grown.set(out!.subarray(0, at));
      out = grown;
    }
    out!.set(value, at);
    at += value.length;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out === null) {
        first.push(value);
        have += value.length;
        if (have < 352) continue;
        const head = concatBytes(first);
        limit = niftiLimitOfHead(head.subarray(0, 352), maxBytes);
        const want = Math.min(size, limit);
        out = options.into !== undefined && options.into.length >= want ? options.into : new Uint8Array(Math.max(want, have));
        append(head);
        continue;
      }
      append(value);
    }
  } catch (cause) {
    await reader.cancel().catch(() => undefined);
    if (cause instanceof MedMaskError) throw cause; // TOO_LARGE from the header
    if (cause instanceof PastLimitError) throw niftiGzipError(cause);
    // DecompressionStream stops at the end of the first gzip member and calls what follows
    // junk (the Compression Streams spec since 2024: Chromium, Node 24), so a stream of
    // several members, which gzip and zlib read whole, fails here. The whole file goes to
    // the inflate `readNifti` uses, which reads every member, or names the corruption.
    return readNiftiTaking(new Uint8Array(await blob.arrayBuffer()), { maxBytes });
  }
  if (out === null) return readNiftiTaking(concatBytes(first), { maxBytes }); // under 352 bytes: not a NIfTI
  return readNiftiTaking((out as Uint8Array).subarray(0, at), { maxBytes });
}
