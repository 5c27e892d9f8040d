// loadNrrd / saveNrrd (Node): decodeNrrd / encodeNrrd on paths.
import type { LimitOptions } from "../../limits.js";
import type { SegmentationMask } from "../../mask.js";
import { loadOf, saveOf } from "../path-codec.js";
import { decodeNrrd, encodeNrrd, type NrrdWriteOptions } from "./nrrd.js";

/**
 * Reads an NRRD label map (Node): `decodeNrrd` of its bytes.
 * @example const seg = await loadNrrd("brain1_label.nrrd");
 */
export const loadNrrd = loadOf<LimitOptions, SegmentationMask<string>>("loadNrrd", "an NRRD file", decodeNrrd, ["maxBytes"]);

/**
 * Writes `seg` as a plain NRRD label map (Node), atomically; gzip unless `{ gzip: false }`.
 * An existing file is replaced only with `{ overwrite: true }`.
 * @example await saveNrrd(seg, "seg.nrrd");
 */
export const saveNrrd = saveOf<NrrdWriteOptions>("saveNrrd", "an NRRD file", encodeNrrd, ["gzip", "flatten"]);
