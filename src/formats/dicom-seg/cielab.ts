// DICOM's colours (RecommendedDisplayCIELabValue, PS3.3 C.10.7.1.1) are CIELab scaled to
// 16 bits: L* 0..100 -> 0..65535, a* and b* -128..127 -> 0..65535. Converted to and from
// sRGB in [0, 1] through XYZ with the D65 white, as highdicom (skimage) and dcmjs do, so a
// colour written by either reads back as the same RGB.

const WHITE = [0.95047, 1, 1.08883] as const;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/**
 * sRGB in [0, 1] -> DICOM's scaled CIELab (three integers in 0..65535).
 * @example rgbToDicomLab([1, 1, 1]) // [65535, 32896, 32896]
 */
export function rgbToDicomLab(rgb: readonly [number, number, number]): [number, number, number] {
  const [r, g, b] = rgb.map((c) => toLinear(clamp01(c))) as [number, number, number];
  const xyz = [0.4124564 * r + 0.3575761 * g + 0.1804375 * b, 0.2126729 * r + 0.7151522 * g + 0.072175 * b, 0.0193339 * r + 0.119192 * g + 0.9503041 * b];
  const f = xyz.map((v, i) => {
    const t = v / WHITE[i]!;
    return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
  }) as [number, number, number];
  const L = 116 * f[1] - 16, a = 500 * (f[0] - f[1]), bb = 200 * (f[1] - f[2]);
  const scale = (v: number, lo: number, span: number) => Math.round(Math.min(65535, Math.max(0, ((v - lo) / span) * 65535)));
  return [scale(L, 0, 100), scale(a, -128, 255), scale(bb, -128, 255)];
}

/**
 * DICOM's scaled CIELab -> sRGB in [0, 1] (rounded to 6 decimals, out-of-gamut colours clamped).
 * @example dicomLabToRgb([65535, 32896, 32896]) // [1, 1, 1]
 */
export function dicomLabToRgb(lab: readonly number[]): [number, number, number] {
  const L = (lab[0]! / 65535) * 100, a = (lab[1]! / 65535) * 255 - 128, b = (lab[2]! / 65535) * 255 - 128;
  const fy = (L + 16) / 116, fx = fy + a / 500, fz = fy - b / 200;
  const inv = (f: number) => (f ** 3 > EPSILON ? f ** 3 : (116 * f - 16) / KAPPA);
  const x = inv(fx) * WHITE[0], y = (L > KAPPA * EPSILON ? fy ** 3 : L / KAPPA) * WHITE[1], z = inv(fz) * WHITE[2];
  const lin = [3.2404542 * x - 1.5371385 * y - 0.4985314 * z, -0.969266 * x + 1.8760108 * y + 0.041556 * z, 0.0556434 * x - 0.2040259 * y + 1.0572252 * z];
  return lin.map((c) => +clamp01(fromLinear(clamp01(c))).toFixed(6)) as [number, number, number];
}
