import { LabelError } from "../errors.js";

/**
 * The names of segments read from a file, each once: a name that comes again is
 * DUPLICATE_NAME (the message says which, and `how` says where to fix it), or with `rename`
 * becomes `name_2`, `name_3`, ... in file order.
 * @example uniqueNames(["rib", "rib"], true, ""); // ["rib", "rib_2"]
 */
export function uniqueNames(names: readonly string[], rename: boolean, how: string): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1 && !rename) throw new LabelError("DUPLICATE_NAME", `Two segments are named "${name}"; a mask names each label once. ${how}Pass { renameDuplicates: true } to read them as "${name}", "${name}_2", ...`);
    return n === 1 ? name : `${name}_${n}`;
  });
}
