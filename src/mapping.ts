import { InputError, LabelError, describeValue } from "./errors.js";
import { jsonObject } from "./json.js";
import { checkLabelValue } from "./bitdepth.js";

/** What a mapping can be built from: a plain object, entries, or another mapping. */
export type MappingInit<N extends string = string> =
  | Readonly<Record<N, number>>
  | Iterable<readonly [N, number]>
  | LabelMapping<N>;

const STATE = Symbol("medmask.mapping");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

interface MappingState {
  byName: Map<string, number>;
  byLabel: Map<number, string>;
}

/** Checks that `name` is a non-empty string (label names, archive entry names); INVALID_NAME. */
export function checkName(name: unknown, what = "Label names"): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new LabelError("INVALID_NAME", `${what} must be non-empty strings, got ${describeValue(name)}.`);
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known name closest to `name` (edit distance), if any is reasonably close. */
function closestName(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 2)) + 1;
  for (const candidate of names) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** The first 20 items of a list for an error message, and how many there are in all. */
function shortList(items: readonly (string | number)[]): string {
  return items.length > 20 ? `${items.slice(0, 20).join(", ")}, ... (${items.length} in all)` : items.join(", ");
}

function unknownName(name: string, state: MappingState): LabelError {
  const names = [...state.byName.keys()];
  const guess = closestName(name, names);
  const listed = shortList(names);
  return new LabelError(
    "UNKNOWN_NAME",
    `Unknown label name "${name}".${guess ? ` Did you mean "${guess}"?` : ""} Known names: ${listed || "(none)"}.`,
  );
}

function toEntries(init: MappingInit<string> | undefined): Iterable<readonly [string, number]> {
  if (init === undefined || init === null) return [];
  if (isLabelMapping(init)) return init.items();
  if (typeof (init as Iterable<unknown>)[Symbol.iterator] === "function") return init as Iterable<readonly [string, number]>;
  if (typeof init === "object") return Object.entries(init as Record<string, number>);
  throw new InputError("INVALID_ARGUMENT", "A mapping is built from an object {name: label}, entries or a LabelMapping.");
}

function isLabelMapping(value: unknown): value is LabelMapping<string> {
  return (typeof value === "function" || typeof value === "object") && value !== null && STATE in value;
}

/** The methods every mapping has; attribute and call access come on top (see `LabelMapping`). */
class LabelMappingBase<N extends string> {
  declare readonly [STATE]: MappingState;

  /**
   * Builds a mapping; names and labels must both be unique.
   * @example new LabelMapping({ liver: 1, spleen: 2, kidney: 3 })
   */
  constructor(init?: MappingInit<N>) {
    const state: MappingState = { byName: new Map(), byLabel: new Map() };
    // A callable target lets `mapping("liver")` work like the Python __call__; an arrow
    // function has no `prototype` property, and `name`/`length` are removed so that
    // organs called "name" or "length" stay reachable as attributes.
    const target = (() => undefined) as unknown as LabelMappingBase<N>;
    delete (target as { name?: unknown }).name;
    delete (target as { length?: unknown }).length;
    Object.setPrototypeOf(target, new.target.prototype);
    Object.defineProperty(target, STATE, { value: state });
    for (const [name, label] of toEntries(init as MappingInit<string>)) {
      checkName(name);
      if (state.byName.has(name)) {
        throw new LabelError("DUPLICATE_NAME", `Name "${name}" appears twice; each name maps to one label.`);
      }
      LabelMappingBase.prototype.set.call(target, name, label);
    }
    return new Proxy(target, handler as ProxyHandler<LabelMappingBase<N>>) as this;
  }

  /**
   * Label of `name`; throws UNKNOWN_NAME (with the closest known name) when absent.
   * @example mapping.get("liver") // 1
   */
  get(name: N): number {
    const label = this[STATE].byName.get(name);
    if (label === undefined) throw unknownName(typeof name === "string" ? name : describeValue(name), this[STATE]);
    return label;
  }

  /**
   * Name of `label`; throws UNKNOWN_LABEL when absent.
   * @example mapping.inverse(1) // "liver"
   */
  inverse(label: number): N {
    const name = this[STATE].byLabel.get(label);
    if (name === undefined) {
      const labels = [...this[STATE].byLabel.keys()].sort((a, b) => a - b);
      throw new LabelError("UNKNOWN_LABEL", `Unknown label ${describeValue(label)}. Known labels: ${shortList(labels) || "(none)"}.`);
    }
    return name as N;
  }

  /** Whether `name` is mapped. */
  hasName(name: string): name is N {
    return this[STATE].byName.has(name);
  }

  /** Whether `label` is mapped. */
  hasLabel(label: number): boolean {
    return this[STATE].byLabel.has(label);
  }

  /** Number of names. */
  get size(): number {
    return this[STATE].byName.size;
  }

  /** Names in insertion order. */
  names(): N[] {
    return [...this[STATE].byName.keys()] as N[];
  }

  /** Labels in insertion order. */
  labels(): number[] {
    return [...this[STATE].byName.values()];
  }

  /** `[name, label]` pairs in insertion order. */
  items(): Array<[N, number]> {
    return [...this[STATE].byName.entries()] as Array<[N, number]>;
  }

  /** Iterates names, like Python's `list(mapping)`. */
  [Symbol.iterator](): IterableIterator<N> {
    return this[STATE].byName.keys() as IterableIterator<N>;
  }

  /**
   * Maps `name` to `label` (both directions). Re-setting a name moves it to the new label;
   * a label that belongs to another name throws DUPLICATE_LABEL.
   * @example mapping.set("pancreas", 4)
   */
  set<M extends string>(name: M, label: number): LabelMapping<N | M> {
    checkName(name);
    checkLabelValue(label);
    const state = this[STATE];
    const owner = state.byLabel.get(label);
    if (owner !== undefined && owner !== name) {
      throw new LabelError("DUPLICATE_LABEL", `Label ${label} already exists (as "${owner}"); choose another label for "${name}".`);
    }
    const previous = state.byName.get(name);
    if (previous !== undefined) state.byLabel.delete(previous);
    state.byName.set(name, label);
    state.byLabel.set(label, name);
    return this as unknown as LabelMapping<N | M>;
  }

  /** Removes `name`; returns whether it was there. */
  delete(name: string): boolean {
    const state = this[STATE];
    const label = state.byName.get(name);
    if (label === undefined) return false;
    state.byName.delete(name);
    state.byLabel.delete(label);
    return true;
  }

  /** An independent copy. */
  clone(): LabelMapping<N> {
    return new LabelMapping<N>(this.items());
  }

  /** Same names with the same labels (order ignored). */
  equals(other: LabelMapping<string>): boolean {
    if (other.size !== this.size) return false;
    for (const [name, label] of this[STATE].byName) if (!other.hasName(name) || other.get(name) !== label) return false;
    return true;
  }

  /** Plain object `{name: label}`, so `JSON.stringify(mapping)` gives the Python layout. */
  toJSON(): Record<N, number> {
    return Object.fromEntries(this[STATE].byName) as Record<N, number>;
  }

  /**
   * Parses `{"name": label}` JSON (a string or an object); the inverse of `toJSON`.
   * @example LabelMapping.fromJSON('{"liver":1}').get("liver") // 1
   */
  static fromJSON(json: string | Readonly<Record<string, number>>): LabelMapping<string> {
    return new LabelMapping(jsonObject(json, "Mapping", '{"liver": 1}') as Record<string, number>);
  }

  /** Node's console shows `LabelMapping { liver: 1, ... }` rather than a function. */
  [INSPECT](): string {
    const body = this.items().map(([n, l]) => `${JSON.stringify(n)}: ${l}`).join(", ");
    return `LabelMapping { ${body} }`;
  }

  /** `String(mapping)`. */
  toString(): string {
    return this[INSPECT]();
  }
}

const handler: ProxyHandler<LabelMappingBase<string>> = {
  get(target, prop, receiver) {
    // Methods and properties win; names that collide with them stay reachable by get().
    if (typeof prop === "symbol" || prop in target) return Reflect.get(target, prop, receiver);
    return target[STATE].byName.get(prop);
  },
  has(target, prop) {
    return prop in target || (typeof prop === "string" && target[STATE].byName.has(prop));
  },
  apply(target, _this, args: unknown[]) {
    return target.get(args[0] as string);
  },
  // `mapping.liver = 5` / `mapping["liver"] = 5` is `set("liver", 5)`, as `mapping["liver"] = 5`
  // is in Python (with its checks: a value that is not a label, `m.then = fn` among them, is
  // INVALID_LABEL). Methods and symbols cannot be assigned: a stray property would make
  // `m.liver` and `get("liver")` disagree.
  set(target, prop, value) {
    if (typeof prop === "symbol" || prop in target) {
      throw new InputError("INVALID_ARGUMENT", `LabelMapping.${String(prop)} cannot be assigned; names are set with mapping.set(name, label) or mapping[name] = label.`);
    }
    target.set(prop, value as number);
    return true;
  },
  defineProperty(_target, prop) {
    throw new InputError("INVALID_ARGUMENT", `LabelMapping properties cannot be defined (${String(prop)}); use mapping.set(name, label).`);
  },
  deleteProperty(_target, prop) {
    throw new InputError("INVALID_ARGUMENT", `Names cannot be deleted from a LabelMapping (${String(prop)}); build a new mapping without it.`);
  },
};

/**
 * A bidirectional name <-> label mapping, accessible four ways as in the Python library:
 * `mapping.get("liver")`, `mapping.liver` / `mapping["liver"]`, `mapping("liver")`, and
 * `mapping.inverse(1)`. With a literal object TypeScript knows the names.
 * @example
 * const mapping = new LabelMapping({ liver: 1, spleen: 2, kidney: 3 });
 * mapping.spleen;        // 2
 * mapping("kidney");     // 3
 * mapping.inverse(1);    // "liver"
 */
export type LabelMapping<N extends string = string> = LabelMappingBase<N> &
  { readonly [name: string]: number | undefined } &
  (string extends N ? unknown : { readonly [K in N]: number }) &
  CallByName<N>;

/**
 * `mapping(name)`. Declared through a method so the parameter is bivariant, which lets a
 * `LabelMapping<"liver">` be passed where a `LabelMapping<string>` is expected.
 */
type CallByName<N extends string> = { call(name: N): number }["call"];

/** The constructor of `LabelMapping`: infers the names of a literal object. */
export interface LabelMappingConstructor {
  new <N extends string = string>(init?: MappingInit<N>): LabelMapping<N>;
  readonly prototype: LabelMappingBase<string>;
  fromJSON(json: string | Readonly<Record<string, number>>): LabelMapping<string>;
}

export const LabelMapping = LabelMappingBase as unknown as LabelMappingConstructor;

/** True for any LabelMapping (they are functions, so `typeof` says "function"). */
export { isLabelMapping };
