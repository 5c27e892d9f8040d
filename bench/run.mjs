// `npm run bench`: every suite on the real mask, one table of ratios measured in one run.
import { loadRealMask, machine, printTable } from "./harness.mjs";
import { queryRows } from "./queries.bench.mjs";
import { buildRows } from "./build.bench.mjs";

const { mask, masks, space } = await loadRealMask();
console.log(`medmask bench on ${machine()}`);
console.log(`Real mask: ${masks.length} TotalSegmentator organs in one uint8 volume, ${space.shape.join("x")} = ${(mask.data.length / 1e6).toFixed(1)} M voxels`);
console.log("copy = Uint8Array.prototype.set of the mask's bytes, measured in the same run");
printTable("Queries", queryRows(mask));
printTable("Building", buildRows(mask, masks, space));
