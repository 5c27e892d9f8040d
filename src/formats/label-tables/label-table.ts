// Label tables other tools keep beside a label image (SPEC section 18), both ways: ITK-SNAP's
// label description, BIDS `dseg.tsv`, NiiVue's label JSON, FreeSurfer's colour table, 3D
// Slicer's `.ctbl` and medmask's own JSON. Each gives names and colours by label; the
// background (label 0) is never a name.
import { FormatError, InputError, MedMaskError, describeValue } from "../../errors.js";
import type { LabelMetadata } from "../../label-metadata.js";
import { labelColor } from "../../label-colors.js";
import { LabelMapping } from "../../mapping.js";
import { SegmentationMask } from "../../mask.js";
import { labelsJson, parseLabelsJson } from "./labels-json.js";

/** The label table formats medmask reads and writes. */
export type LabelTableFormat = "itksnap" | "bids" | "niivue" | "freesurfer" | "slicer" | "medmask";

export const LABEL_TABLE_FORMATS: readonly LabelTableFormat[] = ["itksnap", "bids", "niivue", "freesurfer", "slicer", "medmask"];

/** What a label table gives: names by label, and colours (RGB, 0..1) by name where it has them. */
export interface LabelTable {
  mapping: LabelMapping<string>;
  colors: Record<string, [number, number, number]>;
  /** The format it was read as. */
  format: LabelTableFormat;
}

type Entry = { label: number; name: string; rgb: [number, number, number] | null };

/** Entries as a table: a name used twice gets its label after it (`name_7`), as NiiVue's reader does. */
function tableOf(entries: readonly Entry[], format: LabelTableFormat): LabelTable {
  const pairs: Array<[string, number]> = [];
  const colors: Record<string, [number, number, number]> = Object.create(null) as Record<string, [number, number, number]>;
  const seen = new Set<string>(), labels = new Set<number>();
  for (const { label, name, rgb } of entries) {
    if (label === 0 || name === "") continue;
    if (labels.has(label)) throw new FormatError("BAD_FORMAT", `The ${format} label table gives label ${label} twice.`);
    labels.add(label);
    const unique = seen.has(name) ? `${name}_${label}` : name;
    seen.add(unique);
    pairs.push([unique, label]);
    if (rgb) colors[unique] = rgb.map((c) => c / 255) as [number, number, number];
  }
  if (pairs.length === 0) throw new FormatError("BAD_FORMAT", `The ${format} label table names no label.`);
  return { mapping: new LabelMapping(pairs), colors, format };
}

const rgbOf = (values: readonly string[]): [number, number, number] | null => {
  const rgb = values.map(Number);
  return rgb.length === 3 && rgb.every((c) => Number.isInteger(c) && c >= 0 && c <= 255) ? (rgb as [number, number, number]) : null;
};

const labelOf = (text: string, format: string, line: string): number => {
  const label = Number(text);
  if (!Number.isSafeInteger(label) || label < 0 || label > 0xffffffff) throw new FormatError("BAD_FORMAT", `The ${format} label table line "${line.slice(0, 80)}" has no label number.`);
  return label;
};

/** Lines that are not blank and not `#` comments. */
const dataLines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));

/** ITK-SNAP: `IDX R G B A VIS MSH "LABEL"`. */
function itksnap(text: string): LabelTable {
  return tableOf(
    dataLines(text).map((line) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.eE+-]+\s+\d+\s+\d+\s+"(.*)"\s*$/.exec(line);
      if (!m) throw new FormatError("BAD_FORMAT", `ITK-SNAP label line "${line.slice(0, 80)}" is not IDX R G B A VIS MSH "LABEL".`);
      return { label: labelOf(m[1]!, "ITK-SNAP", line), name: m[5]!, rgb: rgbOf([m[2]!, m[3]!, m[4]!]) };
    }),
    "itksnap",
  );
}

/** BIDS `dseg.tsv`: a header row with `index` and `name` (and optionally `color`, `#rrggbb`). */
function bids(text: string): LabelTable {
  const [head, ...rows] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const columns = (head ?? "").split("\t").map((c) => c.trim().toLowerCase());
  const [index, name, color] = ["index", "name", "color"].map((c) => columns.indexOf(c));
  if (index! < 0 || name! < 0) throw new FormatError("BAD_FORMAT", "A BIDS dseg.tsv starts with a header row naming its index and name columns.");
  return tableOf(
    rows.map((line) => {
      const cells = line.split("\t");
      const hex = color! >= 0 ? /^#?([0-9a-f]{6})$/i.exec((cells[color!] ?? "").trim()) : null;
      const rgb = hex ? ([0, 2, 4].map((k) => parseInt(hex[1]!.slice(k, k + 2), 16)) as [number, number, number]) : null;
      return { label: labelOf((cells[index!] ?? "").trim(), "BIDS", line), name: (cells[name!] ?? "").trim(), rgb };
    }),
    "bids",
  );
}

/** FreeSurfer's colour table and Slicer's `.ctbl`: `label name R G B A` (the name has no spaces). */
function lut(text: string, format: "freesurfer" | "slicer"): LabelTable {
  return tableOf(
    dataLines(text).map((line) => {
      const cells = line.trim().split(/\s+/);
      if (cells.length < 5) throw new FormatError("BAD_FORMAT", `Colour table line "${line.slice(0, 80)}" is not "label name R G B A".`);
      return { label: labelOf(cells[0]!, format === "slicer" ? "Slicer" : "FreeSurfer", line), name: cells[1]!, rgb: rgbOf(cells.slice(2, 5)) };
    }),
    format,
  );
}

/** medmask's JSON or NiiVue's (told apart by their content), colours from their metadata. */
function json(text: string, format: "niivue" | "medmask" | undefined): LabelTable {
  let parsed: ReturnType<typeof parseLabelsJson>;
  try {
    parsed = parseLabelsJson(text);
  } catch (cause) {
    // A JSON that is not one (a BIDS sidecar's {"Manual": false}) is no label table.
    if (cause instanceof MedMaskError) throw new FormatError("BAD_FORMAT", `This JSON is no label table: ${cause.message}`, { cause });
    throw cause;
  }
  const { mapping, metadata } = parsed;
  const isNiivue = /"labels"\s*:\s*\[/.test(text);
  if (format !== undefined && format !== (isNiivue ? "niivue" : "medmask")) throw new FormatError("BAD_FORMAT", `This JSON is ${isNiivue ? "NiiVue's" : "medmask's"} label table, not ${format}'s.`);
  const colors: Record<string, [number, number, number]> = Object.create(null) as Record<string, [number, number, number]>;
  for (const [name, meta] of Object.entries(metadata)) if (meta.color) colors[name] = [...meta.color] as [number, number, number];
  if (mapping.size === 0) throw new FormatError("BAD_FORMAT", "The label table names no label.");
  return { mapping, colors, format: isNiivue ? "niivue" : "medmask" };
}

/** The format of a table's text, by its content. */
function formatOfTable(text: string): LabelTableFormat {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) return /"labels"\s*:\s*\[/.test(start) ? "niivue" : "medmask";
  if (/ITK-Sn?AP/i.test(start) || /^\s*\d+\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+\d+\s+\d+\s+"/m.test(start)) return "itksnap";
  const head = start.split(/\r?\n/, 1)[0]!.toLowerCase().split("\t");
  if (head.includes("index") && head.includes("name")) return "bids";
  if (/color table|\.ctbl/i.test(start)) return "slicer";
  return "freesurfer";
}

/**
 * The names and colours of a label table's text (`format` by its content when not given):
 * ITK-SNAP's label description (`.label`, `.txt`), BIDS `dseg.tsv`, NiiVue's label JSON,
 * FreeSurfer's colour table (`FreeSurferColorLUT.txt`), 3D Slicer's `.ctbl` or medmask's
 * JSON. BAD_FORMAT for text that is none of them.
 * @example const { mapping, colors } = decodeLabelTable(readFileSync("seg.label", "utf8")); mapping.get("hippo-L");
 */
export function decodeLabelTable(text: string, format?: LabelTableFormat): LabelTable {
  if (typeof text !== "string") throw new InputError("INVALID_ARGUMENT", `decodeLabelTable takes the table's text, got ${describeValue(text)}.`);
  if (format !== undefined && !LABEL_TABLE_FORMATS.includes(format)) throw new InputError("INVALID_ARGUMENT", `A label table format is one of ${LABEL_TABLE_FORMATS.join(", ")}, got ${describeValue(format)}.`);
  const kind = format ?? formatOfTable(text);
  const body = text.replace(/^\uFEFF/, "");
  switch (kind) {
    case "itksnap":
      return itksnap(body);
    case "bids":
      return bids(body);
    case "freesurfer":
    case "slicer":
      return lut(body, kind);
    default:
      return json(body, format as "niivue" | "medmask" | undefined);
  }
}

/** Each mapped label of `seg` with its name and colour (its metadata's, else the palette's), 0..255. */
function entriesOf(seg: SegmentationMask<string>): Array<{ label: number; name: string; rgb: [number, number, number] }> {
  return seg.mapping
    .items()
    .sort((a, b) => a[1] - b[1])
    .map(([name, label]) => ({ label, name, rgb: (seg.metadata(name).color ?? labelColor(label)).map((c) => Math.round(c * 255)) as [number, number, number] }));
}

/**
 * A mask's names and colours as a label table of `format`, for the tool that reads it beside
 * the image (colours from the labels' metadata, else medmask's palette).
 * @example writeFileSync("seg.label", encodeLabelTable(seg, "itksnap")); // ITK-SNAP opens seg.nii.gz with it
 */
export function encodeLabelTable(seg: SegmentationMask<string>, format: LabelTableFormat): string {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `encodeLabelTable takes a SegmentationMask, got ${describeValue(seg)}.`);
  if (!LABEL_TABLE_FORMATS.includes(format)) throw new InputError("INVALID_ARGUMENT", `A label table format is one of ${LABEL_TABLE_FORMATS.join(", ")}, got ${describeValue(format)}.`);
  const entries = entriesOf(seg);
  const spaced = (name: string) => name.replace(/\s+/g, "_");
  switch (format) {
    case "itksnap":
      return [
        "################################################",
        "# ITK-SnAP Label Description File",
        "# File format: ",
        "# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL",
        "################################################",
        '    0     0    0    0        0  0  0    "Clear Label"',
        ...entries.map((e) => `${String(e.label).padStart(5)} ${e.rgb.map((c) => String(c).padStart(5)).join("")}        1  1  1    "${e.name.replace(/"/g, "'")}"`),
        "",
      ].join("\n");
    case "bids":
      return ["index\tname\tcolor", ...entries.map((e) => `${e.label}\t${e.name.replace(/[\t\n]/g, " ")}\t#${e.rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`), ""].join("\n");
    case "niivue":
      return JSON.stringify({ R: entries.map((e) => e.rgb[0]), G: entries.map((e) => e.rgb[1]), B: entries.map((e) => e.rgb[2]), I: entries.map((e) => e.label), labels: entries.map((e) => e.name) }) + "\n";
    case "freesurfer":
      return ["#No. Label Name:                            R   G   B   A", ...entries.map((e) => `${e.label}\t${spaced(e.name)}\t${e.rgb.join("\t")}\t0`), ""].join("\n");
    case "slicer":
      return ["# Color table file", `# ${entries.length + 1} values`, "0 Background 0 0 0 0", ...entries.map((e) => `${e.label} ${spaced(e.name)} ${e.rgb.join(" ")} 255`), ""].join("\n");
    default: {
      // Every label's colour, as in the other formats; its other metadata as the mask has it.
      const metadata: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>;
      const stored = seg.allMetadata();
      for (const e of entries) metadata[e.name] = { ...stored[e.name], color: e.rgb.map((c) => c / 255) as [number, number, number] };
      return JSON.stringify(labelsJson(seg.mapping.toJSON(), metadata), null, 2) + "\n";
    }
  }
}
