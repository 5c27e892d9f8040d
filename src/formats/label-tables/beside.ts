// The label table a tool keeps beside a label image (`<stem>.label`, `.txt`, `.tsv`, `.ctbl`,
// `.json`), read when the image names none of its labels itself. A side file that is no
// label table (a BIDS JSON sidecar, a README) is passed over: it never stops a load.
import { MedMaskError } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import { SegmentationMask } from "../../mask.js";
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

/** `seg` read from `path`, named by the table beside it when its file named no label (one layer). */
export async function withTableBeside(path: string, seg: SegmentationMask<string>): Promise<SegmentationMask<string>> {
  if (seg.layerCount !== 1 || !unnamed(seg)) return seg;
  const table = await tableBeside(path);
  return table ? namedBy(seg, table) : seg;
}
