import { labelColor as rgbOf } from "../src/label-colors.js";

/** The display colour of `label` as RGB bytes: medmask's `labelColor` (as `.seg.nrrd` export uses). */
export function labelColor(label: number): [number, number, number] {
  return rgbOf(label).map((c) => Math.round(255 * c)) as [number, number, number];
}
