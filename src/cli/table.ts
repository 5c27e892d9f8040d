const NUMBER = /^-?\d+(\.\d+)?$/;

/** Formats rows as an aligned text table; numbers (and numbers formatted as text) are right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
  const cells = [header, ...rows].map((row) => row.map((c) => String(c)));
  const widths = header.map((_, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), 0));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number" || NUMBER.test(String(r[i]))));
  const line = (row: string[]) => row.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** Milliseconds with a sensible number of digits. */
export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/**
 * A volume in millilitres, always with three decimals (`467.800` beside `200.150`, not `467.8`;
 * a microlitre is a voxel of 1 mm3, so tiny labels do not round to zero).
 */
export function ml(volumeMl: number): string {
  return volumeMl.toFixed(3);
}
