// The geometry of the TotalSegmentator case in data/, as its README gives it:
// spacetransformer's Space, reversed to (z, y, x). Copied verbatim from Python's output; the
// literals do round-trip (no-loss-of-precision misjudges 17 digits).
/* eslint-disable no-loss-of-precision */
export const TOTALSEG_SPACE_ZYX = {
  shape: [179, 192, 294],
  origin: [251.34739685058594, -82.56399536132812, 93.0927734375],
  spacing: [1.5, 1.500000096778767, 1.4999999673219924],
  x_orientation: [0.0, 0.0, 1.0],
  y_orientation: [-0.3147874668791464, -0.9491621835575891, -0.0],
  z_orientation: [-0.9490937598680198, 0.3149937062539274, -0.0],
};
/* eslint-enable no-loss-of-precision */
