// Building and checking masks: addLabel with overlap accounting, findOverlaps.
import { SegmentationMask, findOverlaps } from "../dist/index.js";
import { compare } from "./harness.mjs";

export function buildRows(mask, masks, space) {
  const region = masks.find((m) => m.name === "urinary_bladder").data;
  const named = masks.map((m) => [m.name, m.data]);
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
  ];
}
