// Queries on the real 117-organ mask: label statistics, one name, a union of names.
import { compare } from "./harness.mjs";

export function queryRows(mask) {
  const six = ["hip_left", "hip_right", "sacrum", "femur_left", "femur_right", "urinary_bladder"];
  return [
    { ...compare("labelStats (counts + boxes, all labels)", () => mask.labelStats(), mask.data), python: "np.unique 180 ms" },
    { ...compare("getBinaryMaskByNames, one name", () => mask.getBinaryMaskByNames("colon"), mask.data), python: "1.3 ms" },
    { ...compare("getBinaryMaskByNames, 6-name union", () => mask.getBinaryMaskByNames(six), mask.data), python: "24 names 6.2 ms" },
    { ...compare("presentLabels", () => mask.presentLabels(), mask.data) },
  ];
}
