import { InputError } from "../errors.js";
import { concatBytes } from "../sources/bytes.js";
import { trimEndOf } from "../text.js";

// DICOM Part 10 files written in explicit VR little endian (PS3.5 7.1.2, PS3.10 7.1), or in
// implicit VR little endian for data sets with a value too long for explicit VR's 16-bit
// lengths (an RT Structure Set's ContourData of thousands of points): a data set is a list of
// elements, sorted by tag when encoded; sequences and items get defined lengths, computed from
// their encoded contents.

/** An element's value: text, numbers (binary VRs), raw bytes, or a sequence's items. */
export type DicomValue = string | readonly number[] | Uint8Array | readonly DicomElements[];

/** A data set to write: [tag, VR, value] triples, in any order. */
export type DicomElements = [tag: number, vr: string, value: DicomValue][];

const LONG_VRS: ReadonlySet<string> = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]);
const encoder = new TextEncoder();

/** A UID of the 2.25 root: "2.25." and a random 128-bit integer in decimal (PS3.5 B.2). */
export function newUid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return `2.25.${n.toString()}`;
}

/**
 * A decimal string (DS) of at most 16 characters holding `x` to as many digits as fit:
 * geometry written this way reads back to well under 1e-4 mm.
 * @example formatDS(0.48828125) // "0.48828125"
 */
export function formatDS(x: number): string {
  if (!Number.isFinite(x)) throw new InputError("INVALID_ARGUMENT", `A DICOM decimal string needs a finite number, got ${x}.`);
  const v = Math.abs(x) < 1e-12 ? 0 : x;
  for (let p = 15; p >= 1; p--) {
    let s = v.toPrecision(p);
    if (s.includes("e")) s = String(Number(s));
    else if (s.includes(".")) s = trimEndOf(trimEndOf(s, "0"), ".");
    if (s.length <= 16) return s;
  }
  return String(Math.round(v));
}

/** Today's date and time as DICOM DA and TM. */
export function dicomNow(now = new Date()): { date: string; time: string } {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return {
    date: `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`,
    time: `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`,
  };
}

function valueBytes(vr: string, value: DicomValue, explicit: boolean): Uint8Array | Uint8Array[] {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") {
    const b = encoder.encode(value);
    if (b.length % 2 === 0) return b;
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    out[b.length] = vr === "UI" || vr === "OB" ? 0 : 0x20;
    return out;
  }
  if (vr === "SQ") return (value as readonly DicomElements[]).map((item) => encodeItem(item, explicit));
  const numbers = value as readonly number[];
  const size = vr === "US" || vr === "SS" ? 2 : vr === "UL" || vr === "SL" || vr === "FL" || vr === "AT" ? 4 : vr === "FD" ? 8 : 0;
  if (size === 0) throw new Error(`numbers given for the VR ${vr}`);
  const out = new Uint8Array(numbers.length * size);
  const view = new DataView(out.buffer);
  numbers.forEach((n, i) => {
    if (vr === "US") view.setUint16(i * 2, n, true);
    else if (vr === "SS") view.setInt16(i * 2, n, true);
    else if (vr === "UL") view.setUint32(i * 4, n, true);
    else if (vr === "SL") view.setInt32(i * 4, n, true);
    else if (vr === "FL") view.setFloat32(i * 4, n, true);
    else if (vr === "FD") view.setFloat64(i * 8, n, true);
    else {
      // AT: a tag, group then element.
      view.setUint16(i * 4, n >>> 16, true);
      view.setUint16(i * 4 + 2, n & 0xffff, true);
    }
  });
  return out;
}

/** The largest value an explicit VR element of a short VR (2-byte length) holds. */
export const SHORT_VALUE_BYTES = 0xfffe;

function header(t: number, vr: string, length: number, explicit: boolean): Uint8Array {
  if (!explicit) {
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint16(0, t >>> 16, true);
    view.setUint16(2, t & 0xffff, true);
    view.setUint32(4, length, true);
    return out;
  }
  const long = LONG_VRS.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, t >>> 16, true);
  view.setUint16(2, t & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, true);
  else {
    if (length > 0xffff) throw new Error(`a ${vr} value of ${length} bytes`);
    view.setUint16(6, length, true);
  }
  return out;
}

/** The elements of a data set, sorted by tag, as byte chunks. */
function encodeElements(elements: DicomElements, explicit = true): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (const [t, vr, value] of [...elements].sort((a, b) => a[0] - b[0])) {
    const body = valueBytes(vr, value, explicit);
    const parts = Array.isArray(body) ? body : [body];
    let length = 0;
    for (const p of parts) length += p.length;
    if (length % 2 === 1) {
      parts.push(new Uint8Array(1));
      length++;
    }
    chunks.push(header(t, vr, length, explicit));
    for (const part of parts) chunks.push(part);
  }
  return chunks;
}

function encodeItem(item: DicomElements, explicit: boolean): Uint8Array {
  return itemOf(concatBytes(encodeElements(item, explicit)));
}

/** An item (FFFE,E000) of defined length around `body`: a sequence item's, or a pixel data fragment's. */
export function itemOf(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, 0xe000, true);
  view.setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

const EXPLICIT_LITTLE = "1.2.840.10008.1.2.1";
const IMPLICIT_LITTLE = "1.2.840.10008.1.2";
const IMPLEMENTATION_CLASS_UID = "2.25.229111946757389651373372616209455466451";

/**
 * A Part 10 file: preamble, "DICM", the meta group (always explicit VR), and `dataset` in
 * explicit VR little endian, or implicit VR little endian with `{ implicit: true }`.
 * @example encodeDicomFile([[tag(0x0008, 0x0016), "UI", sopClass], ...], sopClass, sopInstance)
 */
export function encodeDicomFile(dataset: DicomElements, sopClass: string, sopInstance: string, version: string, options: { implicit?: boolean } = {}): Uint8Array {
  const metaBody: DicomElements = [
    [0x00020001, "OB", Uint8Array.of(0, 1)],
    [0x00020002, "UI", sopClass],
    [0x00020003, "UI", sopInstance],
    [0x00020010, "UI", options.implicit ? IMPLICIT_LITTLE : EXPLICIT_LITTLE],
    [0x00020012, "UI", IMPLEMENTATION_CLASS_UID],
    [0x00020013, "SH", `MEDMASK_${version}`.slice(0, 16)],
  ];
  const meta = concatBytes(encodeElements(metaBody));
  const groupLength = concatBytes(encodeElements([[0x00020000, "UL", [meta.length]]]));
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concatBytes([preamble, groupLength, meta, ...encodeElements(dataset, !options.implicit)]);
}
