import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import { decodeDicomSeg, type DecodedDicomSeg, type DicomSegReadOptions } from "./decode.js";
import { encodeDicomSeg, type DicomSegWriteOptions } from "./encode.js";
import type { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";

/**
 * Reads a DICOM SEG file (Node): `decodeDicomSeg` of its bytes.
 * @example const { mask, segments } = await loadDicomSeg("liver.dcm");
 */
export async function loadDicomSeg(path: string, options: DicomSegReadOptions = {}): Promise<DecodedDicomSeg> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadDicomSeg takes a path, got ${describeValue(path)}; for bytes, use decodeDicomSeg.`);
  checkOptions(options, ["maxBytes", "renameDuplicates"], "loadDicomSeg");
  return decodeDicomSeg(await fileIO("Loading a DICOM SEG").readFile(path), options);
}

/**
 * Writes `seg` as a DICOM SEG file (Node), atomically; an existing file is replaced only
 * with `{ overwrite: true }` (FILE_EXISTS otherwise).
 * @example await saveDicomSeg(seg, "seg.dcm", { type: "LABELMAP" });
 */
export async function saveDicomSeg(seg: SegmentationMask<string>, path: string, options: DicomSegWriteOptions & { overwrite?: boolean } = {}): Promise<void> {
  const { overwrite, ...encode } = options;
  const bytes = encodeDicomSeg(seg, encode);
  await fileIO("Saving a DICOM SEG").writeAtomic(path, [bytes], { overwrite: overwrite === true });
}
