// The options of encoding and saving a mask in medmask's formats, on their own so the data
// type (mask.ts, for seg.save) names them without importing a format.

/** How voxels are stored: the default label-aware transform + deflate, plain deflate, or raw. */
export type Codec = "rle-rows-deflate" | "deflate" | "none";

/** The file layouts `encodeMask` writes: medmask's own, or the Python library's `.msk`. */
export type MaskFormat = "native" | "python";

/** Options of `encodeMask`. */
export interface EncodeOptions {
  /**
   * "native" (default, docs/FORMAT.md) or "python": the Python medmask library's `.msk`
   * (zstd, SPEC section 5), which its `load_mask` reads; `codec` and `slabDepth` do not apply.
   */
  format?: MaskFormat;
  /** Default "rle-rows-deflate". */
  codec?: Codec;
  /** Deflate level 0-9; default `DEFAULT_LEVEL` (4). For format "python", the zstd level 1-22 (default 3). */
  level?: number;
  /** z slices per independently compressed slab; default 64. */
  slabDepth?: number;
  /**
   * Paint the layers of a layered mask into one volume (later layers win; overlaps lost):
   * needed for format "python", which holds one volume (LAYERED otherwise); for "native",
   * a version-1 file that older readers take.
   */
  flatten?: boolean;
}

/** Options of `saveMask`. */
export interface SaveOptions extends EncodeOptions {
  /**
   * Replace a file that exists (atomically). Default false: an existing file is refused
   * with FILE_EXISTS, as every writer of medmask refuses, so nothing is lost by accident.
   */
  overwrite?: boolean;
}
