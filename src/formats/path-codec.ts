// The one helper that makes a format's path functions (Node) from its byte functions: load
// reads the file and decodes it; save encodes and writes atomically, refusing to replace a
// file unless `{ overwrite: true }`. Every format's loadF / saveF is one of these.
import { InputError, describeValue } from "../errors.js";
import { fileIO } from "../file-io.js";
import type { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";

/** `loadF(path, options)`: `decode` of the file's bytes. */
export function loadOf<O extends object, R>(name: string, what: string, decode: (bytes: Uint8Array, options: O) => R, keys: readonly string[]): (path: string, options?: O) => Promise<R> {
  return async (path, options = {} as O) => {
    if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `${name} takes a path, got ${describeValue(path)}; for bytes, use ${name.replace(/^load/, "decode")}.`);
    checkOptions(options, keys, name);
    return decode(await fileIO(`Loading ${what}`).readFile(path), options);
  };
}

/** `saveF(seg, path, options)`: `encode`, written atomically; `{ overwrite: true }` replaces a file. */
export function saveOf<O extends object>(
  name: string,
  what: string,
  encode: (seg: SegmentationMask<string>, options: O) => Uint8Array,
  keys: readonly string[],
): (seg: SegmentationMask<string>, path: string, options?: O & { overwrite?: boolean }) => Promise<void> {
  return async (seg, path, options = {} as O & { overwrite?: boolean }) => {
    if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `${name} takes a path, got ${describeValue(path)}; for bytes, use ${name.replace(/^save/, "encode")}.`);
    checkOptions(options, [...keys, "overwrite"], name);
    const { overwrite, ...rest } = options;
    await fileIO(`Saving ${what}`).writeAtomic(path, [encode(seg, rest as O)], { overwrite: overwrite === true });
  };
}
