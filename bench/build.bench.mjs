// Building and checking masks: addLabel with overlap accounting, findOverlaps, and the
// native codec's encode and decode of the multi-label mask.
import { SegmentationMask, decodeMask, encodeMask, findOverlaps } from "../dist/node.js";
import { compare } from "./harness.mjs";

export function buildRows(mask, masks, space) {
  const region = masks.find((m) => m.name === "urinary_bladder").data;
  const named = masks.map((m) => [m.name, m.data]);
  const bytes = encodeMask(mask);
  return [
    {
      ...compare(
        "addLabel (one organ, overlap accounting)",
        () => {
          const target = new SegmentationMask(mask.data.slice(), undefined, space);
          target.addLabel(region, 250, "bladder_copy");
        },
        mask.data,
      ),
      python: "",
    },
    { ...compare("findOverlaps, 117 binary masks", () => findOverlaps(named, { shape: space.shape }), mask.data) },
    { ...compare("encodeMask (rle-rows + deflate)", () => encodeMask(mask), mask.data), python: "save 12.4 ms" },
    { ...compare("decodeMask (new mask)", () => decodeMask(bytes), mask.data), python: "load 3.5 ms" },
  ];
}
