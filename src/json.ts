import { FormatError } from "./errors.js";

/**
 * A JSON object from text or an object already parsed; BAD_FORMAT (naming `what` and the
 * expected shape) for anything else.
 */
export function jsonObject(json: unknown, what: string, example: string): Record<string, unknown> {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw new FormatError("BAD_FORMAT", `${what} JSON does not parse: ${(cause as Error).message}.`, { cause });
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FormatError("BAD_FORMAT", `${what} JSON must be an object like ${example}.`);
  }
  return value as Record<string, unknown>;
}
