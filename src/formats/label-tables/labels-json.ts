import { FormatError } from "../../errors.js";
import { LabelMapping } from "../../mapping.js";
import { checkMetadataRecord, type LabelMetadata } from "../../label-metadata.js";

/**
 * Label names from the JSON people keep beside NIfTI files: `{"liver": 1}` (medmask, Python
 * medmask), `{"1": "liver"}` (label -> name), or an nnU-Net `dataset.json` with a `labels`
 * object. The background (label 0) is dropped.
 * @example mappingFromLabelsJson('{"1": "liver", "2": "spleen"}').get("spleen") // 2
 */
export function mappingFromLabelsJson(json: string | object): LabelMapping<string> {
  return parseLabelsJson(json).mapping;
}

/**
 * `mappingFromLabelsJson`, and the label metadata medmask writes beside the names when
 * there is some: `{"labels": {"liver": 1}, "metadata": {"liver": {"color": [...]}}}`
 * (BAD_FORMAT for metadata that is not valid, or names a label the labels do not).
 */
export function parseLabelsJson(json: string | object): { mapping: LabelMapping<string>; metadata: Record<string, LabelMetadata> } {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
      value = JSON.parse(json.replace(/^\uFEFF/, ""));
    } catch (cause) {
      throw new FormatError("BAD_FORMAT", `The label names JSON does not parse: ${(cause as Error).message}.`, { cause });
    }
  }
  const niivue = niivueTable(value);
  if (niivue) return niivue;
  let metadata: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>; // a name may be "__proto__"
  if (value && typeof value === "object" && "labels" in value && typeof (value as { labels: unknown }).labels === "object") {
    metadata = Object.fromEntries(checkMetadataRecord((value as { metadata?: unknown }).metadata, "file"));
    value = (value as { labels: object }).labels;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new FormatError("BAD_FORMAT", 'Label names must be a JSON object like {"liver": 1} or {"1": "liver"}.');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const inverse = entries.length > 0 && entries.every(([k, v]) => /^\d+$/.test(k) && typeof v === "string");
  const pairs: Array<[string, number]> = inverse ? entries.map(([k, v]) => [v as string, Number(k)]) : entries.map(([k, v]) => [k, v as number]);
  const mapping = new LabelMapping(pairs.filter(([, label]) => label !== 0));
  const unnamed = Object.keys(metadata).filter((name) => !mapping.hasName(name));
  if (unnamed.length > 0) throw new FormatError("BAD_FORMAT", `The label names JSON gives metadata for ${unnamed.map((n) => JSON.stringify(n)).join(", ")}, which its labels do not name.`);
  return { mapping, metadata };
}

/** A NiiVue label colormap: parallel arrays R, G, B (0-255), optional I (the labels), labels (names). */
interface NiivueTable {
  R: unknown[];
  G: unknown[];
  B: unknown[];
  I?: unknown[];
  labels: unknown[];
}

const isNiivueTable = (v: unknown): v is NiivueTable =>
  !!v && typeof v === "object" && ["R", "G", "B", "labels"].every((k) => Array.isArray((v as Record<string, unknown>)[k])) && ((v as { I?: unknown }).I === undefined || Array.isArray((v as { I?: unknown }).I));

/**
 * The mapping and colours of NiiVue's label JSON (`aal.json` beside `aal.nii.gz`): entry k
 * names label I[k] (or k), coloured R[k], G[k], B[k]; label 0 and empty names are left out,
 * and a name used twice gets its label after it.
 */
function niivueTable(value: unknown): { mapping: LabelMapping<string>; metadata: Record<string, LabelMetadata> } | null {
  if (!isNiivueTable(value)) return null;
  const pairs: Array<[string, number]> = [];
  const metadata: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>;
  const seen = new Set<string>();
  value.labels.forEach((name, k) => {
    const label = value.I ? value.I[k] : k;
    if (typeof name !== "string" || name.trim() === "" || !Number.isInteger(label) || (label as number) <= 0) return;
    const unique = seen.has(name) ? `${name}_${label as number}` : name;
    seen.add(unique);
    pairs.push([unique, label as number]);
    const rgb = [value.R[k], value.G[k], value.B[k]];
    if (rgb.every((c) => typeof c === "number" && c >= 0 && c <= 255)) metadata[unique] = { color: rgb.map((c) => (c as number) / 255) as [number, number, number] };
  });
  return { mapping: new LabelMapping(pairs), metadata };
}

/**
 * The names JSON medmask writes beside (and inside) a NIfTI: `{"liver": 1}`, or, when labels
 * carry metadata, `{"labels": {...}, "metadata": {...}}` (which readers of nnU-Net's
 * `dataset.json` layout read too).
 */
export function labelsJson(mapping: Record<string, number>, metadata: Record<string, LabelMetadata>): object {
  return Object.keys(metadata).length > 0 ? { labels: mapping, metadata } : mapping;
}
