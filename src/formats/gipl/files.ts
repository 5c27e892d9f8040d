// loadGipl (Node): decodeGipl on a path. GIPL is read only.
import type { LimitOptions } from "../../limits.js";
import type { SegmentationMask } from "../../mask.js";
import { loadOf } from "../path-codec.js";
import { decodeGipl } from "./gipl.js";

/**
 * Reads a GIPL file (`.gipl`, `.gipl.gz`; Node): `decodeGipl` of its bytes.
 * @example const seg = await loadGipl("MRIcrop-seg.gipl.gz");
 */
export const loadGipl = loadOf<LimitOptions, SegmentationMask<string>>("loadGipl", "a GIPL file", decodeGipl, ["maxBytes"]);
