// Options objects are checked against what a call takes: a misspelled or foreign option
// (`{ mapping }` where none is taken, `{ overwite: true }`) is an error, not silently ignored.
import { InputError, describeValue } from "./errors.js";

/**
 * Throws INVALID_ARGUMENT when `options` is not an object (undefined is fine) or has a key
 * outside `allowed`; the message names the call and what it takes.
 * @example checkOptions({ onOverlap: "keep" }, ["onOverlap", "resident"], "combineBinaryMasks");
 */
export function checkOptions(options: unknown, allowed: readonly string[], where: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InputError("INVALID_ARGUMENT", `${where} takes an options object ({ ${allowed.join(", ")} }), got ${describeValue(options)}.`);
  }
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k) && (options as Record<string, unknown>)[k] !== undefined);
  if (unknown.length > 0) {
    throw new InputError("INVALID_ARGUMENT", `${where} does not take ${unknown.map((k) => `"${k}"`).join(", ")}; its options are ${allowed.map((k) => `"${k}"`).join(", ")}.`);
  }
}
