// The label table a tool keeps beside a label image (`<stem>.label`, `.txt`, `.tsv`, `.ctbl`,
// `.json`), read when the image names none of its labels itself. A side file that is no
// label table (a BIDS JSON sidecar, a README) is passed over: it never stops a load.
import { MedMaskError } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import { SegmentationMask } from "../../mask.js";
import { LabelMapping } from "../../mapping.js";
import type { LabelMetadata } from "../../label-metadata.js";
import { decodeLabelTable, type LabelTable } from "./label-table.js";

/** Where tables sit beside an image, in the order they are tried. */
const TABLE_EXTENSIONS = [".label", ".txt", ".tsv", ".ctbl", ".json"];

/** `seg.nii.gz` -> `seg`: the path without its (compressed) extension. */
export function stemOf(path: string): string {
  return path.replace(/\.gz$/i, "").replace(/\.[^./\\]*$/, "");
}

/**
 * The first label table beside the image at `path` that reads as one, or null. `skip`:
 * extensions a caller has read already (a NIfTI's `<stem>.json` sidecar).
 */
export async function tableBeside(path: string, skip: readonly string[] = []): Promise<LabelTable | null> {
  const io = fileIO("Reading a label table");
  for (const extension of TABLE_EXTENSIONS.filter((e) => !skip.includes(e))) {
    const candidate = stemOf(path) + extension;
    if (candidate === path) continue;
    let text: string;
    try {
      text = new TextDecoder().decode(await io.readFile(candidate));
    } catch (error) {
      if (error instanceof MedMaskError && (error.code === "FILE_NOT_FOUND" || error.code === "NOT_A_FILE")) continue;
      throw error;
    }
    try {
      return decodeLabelTable(text);
    } catch (error) {
      if (error instanceof MedMaskError) continue;
      throw error;
    }
  }
  return null;
}

/** Whether every label of `seg` is unnamed (`idx_<label>`): its file gave no names. */
export const unnamed = (seg: SegmentationMask<string>): boolean => seg.mapping.names().every((n) => /^idx_\d+$/.test(n));

/** `seg` (one layer) with the names and colours of `table`; labels it leaves out stay `idx_<label>`. */
export function namedBy(seg: SegmentationMask<string>, table: LabelTable): SegmentationMask<string> {
  const metadata: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>;
  for (const [name, color] of Object.entries(table.colors)) metadata[name] = { color };
  return new SegmentationMask(seg.data, table.mapping, seg.space, { metadata });
}

/**
 * FreeSurfer's standard colour table where FreeSurfer is installed
 * (`$FREESURFER_HOME/FreeSurferColorLUT.txt`, as freeview reads it), or null. It is not
 * shipped with medmask: its terms are FreeSurfer's.
 */
async function freeSurferLut(): Promise<LabelTable | null> {
  const home = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FREESURFER_HOME;
  if (!home) return null;
  try {
    return decodeLabelTable(new TextDecoder().decode(await fileIO("Reading FreeSurfer's colour table").readFile(`${home.replace(/[/\\]$/, "")}/FreeSurferColorLUT.txt`)), "freesurfer");
  } catch (error) {
    if (error instanceof MedMaskError) return null;
    throw error;
  }
}

/** `table` cut to the labels `seg` holds (a standard table names hundreds it does not). */
function presentIn(seg: SegmentationMask<string>, table: LabelTable): LabelTable {
  const present = new Set(seg.presentLabels());
  const kept = table.mapping.items().filter(([, label]) => present.has(label));
  const names = new Set(kept.map(([name]) => name));
  const mapping = Object.fromEntries(kept);
  const colors = Object.fromEntries(Object.entries(table.colors).filter(([name]) => names.has(name)));
  return { ...table, mapping: LabelMapping.fromJSON(mapping), colors };
}

/**
 * `seg` read from `path`, named by the table beside it when its file named no label (one
 * layer); a FreeSurfer volume (`format` "mgh") with no table beside it takes the names and
 * colours of FreeSurfer's standard table where FreeSurfer is installed.
 */
export async function withTableBeside(path: string, seg: SegmentationMask<string>, format?: string): Promise<SegmentationMask<string>> {
  if (seg.layerCount !== 1 || !unnamed(seg)) return seg;
  const table = await tableBeside(path);
  if (table) return namedBy(seg, table);
  const lut = format === "mgh" ? await freeSurferLut() : null;
  return lut ? namedBy(seg, presentIn(seg, lut)) : seg;
}
