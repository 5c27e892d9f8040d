import { FormatError, InputError, describeValue } from "../errors.js";
import { trimEndOf } from "../text.js";

/**
 * INVALID_ARGUMENT unless `bytes` is a Uint8Array: a reader of bytes given a path (a string)
 * says which call takes paths, instead of failing on the string's characters.
 */
export function checkBytes(bytes: unknown, reader: string): asserts bytes is Uint8Array {
  if (bytes instanceof Uint8Array) return;
  const hint = typeof bytes === "string" ? "; for a path, use loadMask (Node)" : "";
  throw new InputError("INVALID_ARGUMENT", `${reader} takes the file's bytes (a Uint8Array), got ${describeValue(bytes)}${hint}.`);
}

/** Whether `input` is a Blob (or File) where the platform has them. */
export const isBlob = (input: unknown): input is Blob => typeof Blob !== "undefined" && input instanceof Blob;

/** A Blob's bytes. */
export const bytesOfBlob = async (blob: Blob): Promise<Uint8Array> => new Uint8Array(await blob.arrayBuffer());

/** Little-endian reads with bounds checks that report TRUNCATED, for parsing files. */
export class ByteReader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, private readonly what: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws TRUNCATED unless `length` bytes exist at `offset`. */
  need(offset: number, length: number): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.bytes.length)) {
      throw new FormatError(
        "TRUNCATED",
        `The ${this.what} is truncated: it needs bytes ${offset}..${offset + length} but has ${this.bytes.length}.`,
      );
    }
  }
  u8(offset: number): number {
    this.need(offset, 1);
    return this.view.getUint8(offset);
  }
  u32(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, true);
  }
  /** A u64 that must fit a JS safe integer (file offsets and lengths). */
  u64(offset: number): number {
    this.need(offset, 8);
    const value = this.view.getBigUint64(offset, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError("BAD_FORMAT", `The ${this.what} has an impossible 64-bit field (${value}) at byte ${offset}.`);
    }
    return Number(value);
  }
  i64(offset: number): number {
    this.need(offset, 8);
    const value = this.view.getBigInt64(offset, true);
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError("BAD_FORMAT", `The ${this.what} has an impossible 64-bit field (${value}) at byte ${offset}.`);
    }
    return Number(value);
  }
  slice(offset: number, length: number): Uint8Array {
    this.need(offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
  /** UTF-8 text parsed as JSON; BAD_FORMAT when it does not parse. */
  json(offset: number, length: number, what: string): unknown {
    const text = trimEndOf(new TextDecoder("utf-8", { fatal: false }).decode(this.slice(offset, length)), "\0");
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new FormatError("BAD_FORMAT", `The ${this.what}'s ${what} JSON does not parse: ${(cause as Error).message}.`, { cause });
    }
  }
}

/** Reads the 4 ASCII bytes at the start (or "" when shorter). */
export function magicOf(bytes: Uint8Array): string {
  return bytes.length < 4 ? "" : String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
}

/** The bytes of `parts` one after another, in one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
