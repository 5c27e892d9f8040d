/** A distinct, stable colour per label (golden-angle hues), as RGB bytes. */
export function labelColor(label: number): [number, number, number] {
  const h = (label * 137.508) % 360, s = 0.65, v = 0.95;
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}
