// One colour per label wherever medmask picks one (the viewer, `.seg.nrrd` export): the same
// label looks the same in the demo page and in 3D Slicer.

/**
 * A distinct, stable display colour for `label` (golden-angle hues), RGB in 0..1: the colour
 * of a label whose metadata gives none.
 * @example labelColor(5); // the liver's colour in TotalSegmentator's numbering
 */
export function labelColor(label: number): [number, number, number] {
  const h = (label * 137.508) % 360, s = 0.65, v = 0.95;
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5), f(3), f(1)];
}
