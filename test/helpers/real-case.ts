// The real 117-organ case (data/totalsegmentator-s0000) as one flattened mask, read once per
// test file: what the oracle suites hold medmask to scipy on.
import { join } from "node:path";
import { loadNiftiFolder, type SegmentationMask } from "../../src/node.js";
import { ROOT } from "./cli.js";

let real: Promise<SegmentationMask<string>> | null = null;

/** The 117 organs in one volume (later organs over earlier ones where they overlap). */
export const realFlatCase = (): Promise<SegmentationMask<string>> => (real ??= loadNiftiFolder(join(ROOT, "data/totalsegmentator-s0000")).then((r) => r.mask.flatten().mask));
