// A series' images read from a folder up to their pixel data: the SEG and RT Structure Set
// readers and writers need each image's identity and geometry, not its pixels (a CT of 300
// slices is 150 MB of pixels beside 300 headers of a few KB).
import { InputError, MedMaskError, errorOf } from "../errors.js";
import { fileIO } from "../file-io.js";
import { dicomHeaderLength, looksLikeDicom } from "./parse.js";

/** The first read of each file; doubled while the header goes on. */
const FIRST_READ = 16 * 1024;

/** `dicomHeaderLength`, its errors naming the file. */
function headerLength(head: Uint8Array, path: string): ReturnType<typeof dicomHeaderLength> {
  try {
    return dicomHeaderLength(head);
  } catch (error) {
    if (error instanceof MedMaskError) throw errorOf(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Every DICOM file of the folder `dir` (by content: "DICM" after the preamble; other files and
 * folders skipped), in name order, each read up to its pixel data (whole when it has none, or
 * when only the whole file tells, a deflated one). INVALID_ARGUMENT when it holds none.
 * @example const ct = await readImageHeads("ct/"); encodeRtStruct(mask, { source: ct })
 */
export async function readImageHeads(dir: string): Promise<Uint8Array[]> {
  const io = fileIO("Reading a folder of DICOM images");
  const names = (await io.list(dir)).sort();
  const heads: Uint8Array[] = [];
  for (const name of names) {
    const path = `${dir.replace(/[/\\]$/, "")}/${name}`;
    let source;
    try {
      source = await io.open(path);
    } catch (error) {
      if (error instanceof MedMaskError && error.code === "NOT_A_FILE") continue;
      throw error;
    }
    try {
      let head = await source.read(0, Math.min(source.size, FIRST_READ));
      if (!looksLikeDicom(head)) continue;
      for (;;) {
        const whole = head.length === source.size;
        const length = headerLength(head, path);
        if (typeof length === "number" && (length < head.length || whole)) {
          heads.push(length < head.length ? head.slice(0, length) : head);
          break;
        }
        // All of it read, and still no end (a truncated file, for the parser to report; a deflated one): as it is.
        if (whole) {
          heads.push(head);
          break;
        }
        // The header goes on past what was read (or may): read more, or all when only all tells.
        head = await source.read(0, length === "whole" ? source.size : Math.min(source.size, 4 * head.length));
      }
    } finally {
      await source.close?.();
    }
  }
  if (heads.length === 0) throw new InputError("INVALID_ARGUMENT", `${dir} holds no DICOM file.`);
  return heads;
}
