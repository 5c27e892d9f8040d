import { FormatError } from "../errors.js";
import { LabelMapping } from "../mapping.js";

/**
 * Label names from the JSON people keep beside NIfTI files: `{"liver": 1}` (medmask, Python
 * medmask), `{"1": "liver"}` (label -> name), or an nnU-Net `dataset.json` with a `labels`
 * object. The background (label 0) is dropped.
 * @example mappingFromLabelsJson('{"1": "liver", "2": "spleen"}').get("spleen") // 2
 */
export function mappingFromLabelsJson(json: string | object): LabelMapping<string> {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
      value = JSON.parse(json.replace(/^\uFEFF/, ""));
    } catch (cause) {
      throw new FormatError("BAD_FORMAT", `The label names JSON does not parse: ${(cause as Error).message}.`, { cause });
    }
  }
  if (value && typeof value === "object" && "labels" in value && typeof (value as { labels: unknown }).labels === "object") {
    value = (value as { labels: object }).labels;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new FormatError("BAD_FORMAT", 'Label names must be a JSON object like {"liver": 1} or {"1": "liver"}.');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const inverse = entries.length > 0 && entries.every(([k, v]) => /^\d+$/.test(k) && typeof v === "string");
  const pairs: Array<[string, number]> = inverse ? entries.map(([k, v]) => [v as string, Number(k)]) : entries.map(([k, v]) => [k, v as number]);
  return new LabelMapping(pairs.filter(([, label]) => label !== 0));
}
