import { Inflate } from "fflate";
import { FormatError, MedMaskError, ResourceError } from "../errors.js";
import { checkFits } from "../limits.js";
import { trimEndOf, trimStartOf } from "../text.js";

// A DICOM Part 10 file read as an index of byte ranges: each data set is walked once and
// keeps, per element, only its tag and where its value lies (three numbers in typed
// arrays). Values are decoded when asked for, and a sequence's items only when visited, so
// a 10,000-frame PerFrameFunctionalGroupsSequence costs a walk over its bytes, not an
// object per element (PS3.5 section 7: data elements; 7.5: nesting; A.4: encapsulation).

/** Transfer syntaxes the reader takes (PS3.5 section 10 and annex A). */
export const TRANSFER_SYNTAXES = {
  implicitLittle: "1.2.840.10008.1.2",
  explicitLittle: "1.2.840.10008.1.2.1",
  deflatedLittle: "1.2.840.10008.1.2.1.99",
  /** Deflated Image Frame Compression (Supplement 244): each frame deflated on its own. */
  deflatedFrames: "1.2.840.10008.1.2.8.1",
  explicitBig: "1.2.840.10008.1.2.2",
  rle: "1.2.840.10008.1.2.5",
} as const;

const KNOWN_SYNTAXES: ReadonlySet<string> = new Set(Object.values(TRANSFER_SYNTAXES));

/** A tag as one number: group << 16 | element. */
export const tag = (group: number, element: number): number => ((group << 16) | element) >>> 0;

const ITEM = tag(0xfffe, 0xe000);
const ITEM_END = tag(0xfffe, 0xe00d);
const SEQUENCE_END = tag(0xfffe, 0xe0dd);
const UNDEFINED = 0xffffffff;
const PIXEL_DATA = tag(0x7fe0, 0x0010);
/**
 * How deep undefined-length sequences may nest. Their ends are found by walking into them,
 * one call level per level of nesting; real files nest a handful deep (a SEG's functional
 * groups: three), so this bounds the stack, not any file in use.
 */
const MAX_NESTING = 64;

/** VRs whose explicit header has a 4-byte length after two reserved bytes (PS3.5 table 7.1-1). */
const LONG_VRS: ReadonlySet<string> = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]);

function bad(message: string): FormatError {
  return new FormatError("BAD_FORMAT", `Not a valid DICOM file: ${message}`);
}

function truncated(what: string): FormatError {
  return new FormatError("TRUNCATED", `The DICOM file ends inside ${what}.`);
}

/** How a data set's bytes are encoded. */
interface Encoding {
  readonly explicit: boolean;
  readonly little: boolean;
}

/** Where one element's value lies. */
interface Entry {
  readonly vr: string;
  readonly offset: number;
  /** Bytes of the value; UNDEFINED for undefined-length sequences and encapsulated pixel data. */
  readonly length: number;
  /** For undefined lengths: where the element ends (after its delimiter). */
  readonly end: number;
}

const textDecoder = new TextDecoder("latin1");

/**
 * One data set (the file's, or a sequence item's): its elements by tag, values read on demand.
 * Strings are trimmed of the padding DICOM adds (trailing spaces and NULs).
 */
export class DicomDataset {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #encoding: Encoding;
  readonly #entries: Map<number, Entry>;

  constructor(bytes: Uint8Array, encoding: Encoding, entries: Map<number, Entry>) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#encoding = encoding;
    this.#entries = entries;
  }

  get littleEndian(): boolean {
    return this.#encoding.little;
  }

  has(t: number): boolean {
    return this.#entries.has(t);
  }

  /** The element's VR as written (explicit VR), or "" in implicit VR files. */
  vr(t: number): string {
    return this.#entries.get(t)?.vr ?? "";
  }

  /** The value's raw bytes (a view, no copy); undefined when absent. */
  bytes(t: number): Uint8Array | undefined {
    const e = this.#entries.get(t);
    if (!e) return undefined;
    if (e.length === UNDEFINED) throw bad(`element ${tagName(t)} has an undefined length where a value was expected.`);
    return this.#bytes.subarray(e.offset, e.offset + e.length);
  }

  /** A string value (the whole value, backslashes kept), trimmed; undefined when absent. */
  string(t: number): string | undefined {
    const b = this.bytes(t);
    return b === undefined ? undefined : trimStartOf(trimEndOf(textDecoder.decode(b), "\0 "), " ");
  }

  /** The backslash-separated values of a string element. */
  strings(t: number): string[] | undefined {
    const s = this.string(t);
    return s === undefined ? undefined : s.split("\\").map((v) => v.trim());
  }

  /** The numbers of a DS or IS element; BAD_FORMAT naming the element for anything else. */
  numbers(t: number, name: string): number[] | undefined {
    const values = this.strings(t);
    if (values === undefined) return undefined;
    return values.map((v) => {
      const n = v === "" ? NaN : Number(v);
      if (!Number.isFinite(n)) throw bad(`${name} holds ${JSON.stringify(v)}, not a number.`);
      return n;
    });
  }

  /** The first value of a US element (unsigned 16 bits). */
  uint16(t: number): number | undefined {
    const e = this.#entries.get(t);
    if (!e) return undefined;
    if (e.length < 2 || e.length === UNDEFINED) throw bad(`element ${tagName(t)} is ${e.length === UNDEFINED ? "of undefined length" : e.length + " bytes"}, not a 16-bit number.`);
    return this.#view.getUint16(e.offset, this.#encoding.little);
  }

  /** The first value of a UL element (unsigned 32 bits). */
  uint32(t: number): number | undefined {
    const e = this.#entries.get(t);
    if (!e) return undefined;
    if (e.length < 4 || e.length === UNDEFINED) throw bad(`element ${tagName(t)} is not a 32-bit number.`);
    return this.#view.getUint32(e.offset, this.#encoding.little);
  }

  /** The first value of a US or UL element, whichever its length says. */
  integer(t: number): number | undefined {
    const e = this.#entries.get(t);
    if (!e) return undefined;
    return e.length === 4 ? this.uint32(t) : this.uint16(t);
  }

  /** The items of a sequence, each parsed when this is called ([] when absent or empty). */
  items(t: number): DicomDataset[] {
    const e = this.#entries.get(t);
    if (!e) return [];
    const end = e.length === UNDEFINED ? e.end : e.offset + e.length;
    const out: DicomDataset[] = [];
    let p = e.offset;
    for (;;) {
      if (p >= end) break;
      if (p + 8 > this.#bytes.length) throw truncated(`the sequence ${tagName(t)}`);
      const itemTag = readTag(this.#view, p, this.#encoding.little);
      const length = this.#view.getUint32(p + 4, this.#encoding.little);
      if (itemTag === SEQUENCE_END) break;
      if (itemTag !== ITEM) throw bad(`the sequence ${tagName(t)} holds ${tagName(itemTag)} where an item was expected.`);
      const start = p + 8;
      if (length === UNDEFINED) {
        const { entries, end: itemEnd } = walk(this.#bytes, this.#view, start, this.#bytes.length, this.#encoding, true);
        out.push(new DicomDataset(this.#bytes, this.#encoding, entries));
        p = itemEnd;
      } else {
        if (start + length > end) throw truncated(`an item of ${tagName(t)} (it claims ${length} bytes)`);
        out.push(new DicomDataset(this.#bytes, this.#encoding, walk(this.#bytes, this.#view, start, start + length, this.#encoding, false).entries));
        p = start + length;
      }
    }
    return out;
  }

  /** The first item of a sequence, or undefined. */
  item(t: number): DicomDataset | undefined {
    return this.items(t)[0];
  }

  /** The fragments of encapsulated pixel data (PS3.5 A.4), the Basic Offset Table left out. */
  fragments(t: number): Uint8Array[] {
    const e = this.#entries.get(t);
    if (!e || e.length !== UNDEFINED) throw bad(`${tagName(t)} is not encapsulated.`);
    const out: Uint8Array[] = [];
    let p = e.offset;
    let first = true;
    for (;;) {
      if (p + 8 > this.#bytes.length) throw truncated("the pixel data's fragments");
      const itemTag = readTag(this.#view, p, this.#encoding.little);
      const length = this.#view.getUint32(p + 4, this.#encoding.little);
      if (itemTag === SEQUENCE_END) break;
      if (itemTag !== ITEM || length === UNDEFINED) throw bad("the encapsulated pixel data holds something other than fragments.");
      if (p + 8 + length > this.#bytes.length) throw truncated("a pixel data fragment");
      if (!first) out.push(this.#bytes.subarray(p + 8, p + 8 + length));
      first = false;
      p += 8 + length;
    }
    return out;
  }
}

/** `(gggg,eeee)` for messages. */
export function tagName(t: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  return `(${hex(t >>> 16)},${hex(t & 0xffff)})`;
}

function readTag(view: DataView, p: number, little: boolean): number {
  return ((view.getUint16(p, little) << 16) | view.getUint16(p + 2, little)) >>> 0;
}

/**
 * The elements from `start` to `limit` (or to an item delimiter when `inItem` and the item
 * has an undefined length). Nested undefined-length sequences are walked to find their end;
 * defined lengths are checked against the bytes there are, so no claim is believed blindly.
 */
function walk(bytes: Uint8Array, view: DataView, start: number, limit: number, enc: Encoding, inItem: boolean, depth = 0, stopAtPixels = false): { entries: Map<number, Entry>; end: number } {
  if (depth > MAX_NESTING) throw bad(`sequences nested more than ${MAX_NESTING} deep.`);
  const entries = new Map<number, Entry>();
  let p = start;
  while (p < limit) {
    if (p + 8 > bytes.length) throw truncated("an element header");
    const t = readTag(view, p, enc.little);
    if (stopAtPixels && t >= PIXEL_DATA) return { entries, end: p };
    if (t === ITEM_END) {
      if (!inItem) throw bad(`an item delimiter outside an item at byte ${p}.`);
      return { entries, end: p + 8 };
    }
    if (t === SEQUENCE_END) throw bad(`a sequence delimiter outside a sequence at byte ${p}.`);
    let vr = "";
    let length: number;
    let offset: number;
    // Group 0002 is always explicit VR little endian; the walker sees it only in the meta header.
    if (enc.explicit) {
      vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
      if (!/^[A-Z]{2}$/.test(vr)) throw bad(`element ${tagName(t)} has the VR ${JSON.stringify(vr)}.`);
      if (LONG_VRS.has(vr)) {
        if (p + 12 > bytes.length) throw truncated("an element header");
        length = view.getUint32(p + 8, enc.little);
        offset = p + 12;
      } else {
        length = view.getUint16(p + 6, enc.little);
        offset = p + 8;
      }
    } else {
      length = view.getUint32(p + 4, enc.little);
      offset = p + 8;
    }
    let end: number;
    if (length === UNDEFINED) {
      end = t === PIXEL_DATA ? skipFragments(view, offset, enc.little) : skipSequence(bytes, view, offset, enc, depth);
    } else {
      end = offset + length;
      if (end > bytes.length) throw truncated(`element ${tagName(t)} (it claims ${length} bytes, ${bytes.length - offset} are left)`);
    }
    if (!entries.has(t)) entries.set(t, { vr, offset, length, end });
    p = end;
  }
  if (inItem && limit === bytes.length) throw truncated("an item of undefined length");
  return { entries, end: p };
}

/** The end (past its delimiter) of an undefined-length sequence whose items start at `p`. */
function skipSequence(bytes: Uint8Array, view: DataView, p: number, enc: Encoding, depth: number): number {
  for (;;) {
    if (p + 8 > bytes.length) throw truncated("a sequence of undefined length");
    const t = readTag(view, p, enc.little);
    const length = view.getUint32(p + 4, enc.little);
    if (t === SEQUENCE_END) return p + 8;
    if (t !== ITEM) throw bad(`${tagName(t)} inside a sequence where an item was expected.`);
    if (length === UNDEFINED) p = walk(bytes, view, p + 8, bytes.length, enc, true, depth + 1).end;
    else {
      if (p + 8 + length > bytes.length) throw truncated("a sequence item");
      p += 8 + length;
    }
  }
}

function skipFragments(view: DataView, p: number, little: boolean): number {
  for (;;) {
    if (p + 8 > view.byteLength) throw truncated("the pixel data's fragments");
    const t = readTag(view, p, little);
    const length = view.getUint32(p + 4, little);
    if (t === SEQUENCE_END) return p + 8;
    if (t !== ITEM || length === UNDEFINED) throw bad("the encapsulated pixel data holds something other than fragments.");
    p += 8 + length;
  }
}

/** A parsed Part 10 file: its transfer syntax and the main data set. */
export interface DicomFile {
  transferSyntax: string;
  dataset: DicomDataset;
}

const TRANSFER_SYNTAX_UID = tag(0x0002, 0x0010);

/** True when `bytes` look like a DICOM Part 10 file ("DICM" after the 128-byte preamble). */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * How many bytes of a DICOM file's start hold everything before its pixel data, from `head`
 * (the file's first bytes): that length (the whole of `head` when the file has no pixel data
 * and `head` is all of it), "more" when `head` ends before the pixel data does begin, or
 * "whole" when only the whole file tells (a deflated data set). What a reader of a series'
 * geometry needs of each image, without reading its pixels.
 * @example const n = dicomHeaderLength(first64k); // then parseDicom(first64k.subarray(0, n))
 */
export function dicomHeaderLength(head: Uint8Array): number | "more" | "whole" {
  try {
    const { p, syntax } = metaEnd(head);
    if (syntax === TRANSFER_SYNTAXES.deflatedLittle || !KNOWN_SYNTAXES.has(syntax)) return "whole";
    const enc: Encoding = { explicit: syntax !== TRANSFER_SYNTAXES.implicitLittle, little: syntax !== TRANSFER_SYNTAXES.explicitBig };
    const body = head.subarray(p);
    return p + walk(body, new DataView(body.buffer, body.byteOffset, body.byteLength), 0, body.length, enc, false, 0, true).end;
  } catch (error) {
    if (error instanceof FormatError && error.code === "TRUNCATED") return "more";
    throw error;
  }
}

/** The end of the meta group and the transfer syntax it names. */
function metaEnd(bytes: Uint8Array): { p: number; syntax: string } {
  if (!looksLikeDicom(bytes)) throw bad('no "DICM" after the 128-byte preamble.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The meta group: explicit VR little endian, elements of group 0002 only.
  let p = 132;
  while (p + 8 <= bytes.length && view.getUint16(p, true) === 0x0002) {
    const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
    const long = LONG_VRS.has(vr);
    if (long && p + 12 > bytes.length) throw truncated("the file meta information");
    const length = long ? view.getUint32(p + 8, true) : view.getUint16(p + 6, true);
    const next = (long ? p + 12 : p + 8) + length;
    if (next > bytes.length) throw truncated("the file meta information");
    p = next;
  }
  const meta = new DicomDataset(bytes, { explicit: true, little: true }, walk(bytes, view, 132, p, { explicit: true, little: true }, false).entries);
  const syntax = meta.string(TRANSFER_SYNTAX_UID);
  if (syntax === undefined) throw bad("the file meta information has no Transfer Syntax UID (0002,0010).");
  return { p, syntax };
}

/**
 * Parses a DICOM Part 10 file (preamble, "DICM", the meta group, then the data set in its
 * transfer syntax). Unsupported transfer syntaxes are UNSUPPORTED_VERSION naming the UID.
 * @example const { dataset } = parseDicom(bytes); dataset.string(tag(0x0008, 0x0016))
 */
export function parseDicom(bytes: Uint8Array, maxBytes: number): DicomFile {
  const { p, syntax } = metaEnd(bytes);
  if (!KNOWN_SYNTAXES.has(syntax)) {
    throw new FormatError("UNSUPPORTED_VERSION", `The transfer syntax ${syntax} is not supported; medmask reads implicit and explicit VR little endian, explicit VR big endian, deflated (data set or frames), and RLE lossless DICOM.`);
  }
  let body = bytes.subarray(p);
  if (syntax === TRANSFER_SYNTAXES.deflatedLittle) body = inflateBounded(body, maxBytes);
  const enc: Encoding = { explicit: syntax !== TRANSFER_SYNTAXES.implicitLittle, little: syntax !== TRANSFER_SYNTAXES.explicitBig };
  const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return { transferSyntax: syntax, dataset: new DicomDataset(body, enc, walk(body, bodyView, 0, body.length, enc, false).entries) };
}

/**
 * Raw deflate of unknown length, refused (TOO_LARGE) once it passes `maxBytes`. Inflated
 * twice: once to learn the size, then into one buffer of exactly that size, so the peak is
 * the result and not the result twice (pieces kept, then joined).
 */
function inflateBounded(data: Uint8Array, maxBytes: number): Uint8Array {
  const total = inflateInto(data, null, maxBytes);
  const out = new Uint8Array(total);
  inflateInto(data, out, maxBytes);
  return out;
}

/** Inflates `data` into `out` (or only counts, when null); the inflated size. */
function inflateInto(data: Uint8Array, out: Uint8Array | null, maxBytes: number): number {
  let total = 0;
  let failure: MedMaskError | null = null;
  const inflater = new Inflate((chunk) => {
    if (failure) return;
    if (total + chunk.length > maxBytes) failure = tooLarge(total + chunk.length, maxBytes);
    else if (out) {
      if (total + chunk.length > out.length) failure = bad("its deflated data set inflates differently on a second read.");
      else out.set(chunk, total);
    }
    total += chunk.length;
  });
  try {
    const step = 1 << 16;
    for (let i = 0; i < data.length && failure === null; i += step) inflater.push(data.subarray(i, i + step), i + step >= data.length);
  } catch (e) {
    throw bad(`its deflated data set does not inflate (${(e as Error).message}).`);
  }
  if (failure) throw failure;
  return total;
}

function tooLarge(total: number, maxBytes: number): MedMaskError {
  try {
    checkFits(total, maxBytes, "The inflated DICOM data set");
  } catch (e) {
    return e as MedMaskError;
  }
  return new ResourceError("TOO_LARGE", "The inflated DICOM data set is too large.");
}
