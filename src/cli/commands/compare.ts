import { compareMasks, type CompareRow } from "medmask";
import { asMask, readInput } from "../io.js";
import { formatTable, ml } from "../table.js";

/** Options of `medmask compare`. */
export interface CompareCommandOptions {
  names?: string;
  json?: boolean;
  csv?: boolean;
  match?: "name" | "label";
  percentile?: number;
  toleranceMm?: number;
}

/** The CSV columns, in order: every field of a row, and both volumes in mL. */
const CSV_COLUMNS = ["name", "labelA", "labelB", "voxelsA", "voxelsB", "intersection", "dice", "jaccard", "volumeAMl", "volumeBMl", "volumeDifferenceMl", "hausdorff", "hd95", "assd", "nsd", "empty"] as const;

/** A number as a table shows it: `digits` decimals, "inf" for Infinity, "-" for NaN. */
const fixed = (value: number, digits: number) => (Number.isNaN(value) ? "-" : value === Infinity ? "inf" : value.toFixed(digits));

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const csvField = (value: unknown) => {
  const text = value === null ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The rows as CSV (a header line, then one line per label), volumes in mL beside the counts. */
export function compareCsv(rows: readonly CompareRow[], voxelMl: number, prefix: Record<string, string> = {}): string {
  const keys = Object.keys(prefix);
  const lines = [[...keys, ...CSV_COLUMNS].join(",")];
  for (const r of rows) {
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = { ...r, volumeAMl: r.voxelsA * voxelMl, volumeBMl: r.voxelsB * voxelMl };
    lines.push([...keys.map((k) => csvField(prefix[k])), ...CSV_COLUMNS.map((c) => csvField(values[c]))].join(","));
  }
  return lines.join("\n");
}

/**
 * `medmask compare A B [--names a,b] [--json | --csv]`: each label of A (the reference) against
 * B, paired by name: Dice, HD95, ASSD, NSD and both volumes. Either side is any mask file or
 * a folder of NIfTI organ masks. The table leaves out names neither mask holds a voxel of
 * (unless --names asks for them); --json and --csv give every row.
 */
export async function compare(pathA: string, pathB: string, options: CompareCommandOptions, print: (text: string) => void, warn: (line: string) => void): Promise<void> {
  const [a, b] = [await asMask(await readInput(pathA), warn), await asMask(await readInput(pathB), warn)];
  const names = options.names?.split(",").map((s) => s.trim()).filter(Boolean);
  const rows = compareMasks(a, b, { names, match: options.match, percentile: options.percentile, toleranceMm: options.toleranceMm });
  const voxelMl = a.space.voxelVolume / 1000;
  if (options.json) return print(JSON.stringify(rows, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2));
  if (options.csv) return print(compareCsv(rows, voxelMl));
  const shown = names ? rows : rows.filter((r) => r.empty !== "both");
  const p = options.percentile ?? 95;
  print(
    formatTable(
      ["organ", "Dice", `HD${p} mm`, "ASSD mm", `NSD@${options.toleranceMm ?? 1}mm`, "A mL", "B mL", "note"],
      shown.map((r) => [r.name, fixed(r.dice, 4), fixed(r.hd95, 2), fixed(r.assd, 2), fixed(r.nsd, 4), ml(r.voxelsA * voxelMl), ml(r.voxelsB * voxelMl), r.empty === "a" ? "only in B" : r.empty === "b" ? "only in A" : r.empty === "both" ? "in neither" : ""]),
    ),
  );
  if (shown.length < rows.length) print(`${rows.length - shown.length} name(s) with no voxel in either mask left out (--json or --csv lists them)`);
}
