// loadMgh / saveMgh (Node): decodeMgh / encodeMgh on paths.
import { loadOf, saveOf } from "../path-codec.js";
import type { LimitOptions } from "../../limits.js";
import type { SegmentationMask } from "../../mask.js";
import { decodeMgh, encodeMgh, type MghWriteOptions } from "./mgh.js";

/**
 * Reads a FreeSurfer `.mgh` / `.mgz` file (Node): `decodeMgh` of its bytes.
 * @example const aseg = await loadMgh("aseg.mgz");
 */
export const loadMgh = loadOf<LimitOptions, SegmentationMask<string>>("loadMgh", "an MGH file", decodeMgh, ["maxBytes"]);

/**
 * Writes `seg` as FreeSurfer MGH (Node), atomically; `.mgz` (gzip) unless `{ gzip: false }`.
 * An existing file is replaced only with `{ overwrite: true }`.
 * @example await saveMgh(seg, "seg.mgz");
 */
export const saveMgh = saveOf<MghWriteOptions>("saveMgh", "an MGH file", encodeMgh, ["gzip", "flatten"]);
