import { describe, expect, expectTypeOf, it } from "vitest";
import { LabelMapping, isLabelMapping } from "../../src/index.js";
import { codeOf } from "../helpers/errors.js";

describe("LabelMapping", () => {
  it("offers the spec's accessors", () => {
    const m = new LabelMapping({ liver: 1, spleen: 2, kidney: 3 });
    expect(m.hasLabel(2)).toBe(true);
    expect(m.hasName("liver")).toBe(true);
    expect(m.size).toBe(3);
    expect(m.names()).toEqual(["liver", "spleen", "kidney"]);
    expect(m.labels()).toEqual([1, 2, 3]);
    expect(m.items()).toEqual([["liver", 1], ["spleen", 2], ["kidney", 3]]);
    expect([...m]).toEqual(["liver", "spleen", "kidney"]);
    expect("liver" in m).toBe(true);
    expect(m instanceof LabelMapping).toBe(true);
    expect(isLabelMapping(m)).toBe(true);
    expect(isLabelMapping({ liver: 1 })).toBe(false);
  });

  it("set updates both directions and moves a re-set name", () => {
    const m = new LabelMapping({ liver: 1 }).set("pancreas", 4);
    expect(m.get("pancreas")).toBe(4);
    expect(m.inverse(4)).toBe("pancreas");
    m.set("liver", 5);
    expect(m.get("liver")).toBe(5);
    expect(m.hasLabel(1)).toBe(false);
    expect(m.inverse(5)).toBe("liver");
    expect(JSON.stringify(m)).toBe('{"liver":5,"pancreas":4}');
  });

  it("refuses a label owned by another name", () => {
    const m = new LabelMapping({ liver: 1 });
    expect(codeOf(() => m.set("spleen", 1))).toBe("DUPLICATE_LABEL");
    expect(m.size).toBe(1);
    expect(codeOf(() => new LabelMapping([["a", 1], ["b", 1]]))).toBe("DUPLICATE_LABEL");
    expect(codeOf(() => new LabelMapping([["a", 1], ["a", 2]]))).toBe("DUPLICATE_NAME");
  });

  it("unknown names and labels give clear errors; attribute access gives undefined", () => {
    const m = new LabelMapping({ liver: 1, spleen: 2 }) as LabelMapping<string>;
    expect(codeOf(() => m.get("livr"))).toBe("UNKNOWN_NAME");
    expect(() => m.get("livr")).toThrow(/Did you mean "liver"\?.*Known names: liver, spleen/);
    expect(codeOf(() => m("pancreas"))).toBe("UNKNOWN_NAME");
    expect(codeOf(() => m.inverse(9))).toBe("UNKNOWN_LABEL");
    expect(() => m.inverse(9)).toThrow(/Known labels: 1, 2/);
    expect(m["pancreas"]).toBeUndefined();
    // Thousands of labels: the message lists the first 20 and the count, not all of them.
    const many = new LabelMapping(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`l${i}`, i + 1])));
    expect(() => many.inverse(5000)).toThrow(/Known labels: 1, 2, .*, 20, \.\.\. \(3000 in all\)\.$/);
  });

  it("validates names and labels", () => {
    expect(codeOf(() => new LabelMapping({ "": 1 }))).toBe("INVALID_NAME");
    expect(codeOf(() => new LabelMapping({ a: 0 }))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => new LabelMapping({ a: -3 }))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => new LabelMapping({ a: 2 ** 32 }))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => new LabelMapping({ a: 1.5 }))).toBe("INVALID_LABEL");
    expect(codeOf(() => new LabelMapping({ a: Number.NaN }))).toBe("INVALID_LABEL");
    expect(new LabelMapping({ a: 2 ** 32 - 1 }).get("a")).toBe(4294967295);
  });

  it("keeps names that collide with methods reachable through get and calls", () => {
    const m = new LabelMapping({ get: 1, size: 2, name: 3, length: 4, inverse: 5, toString: 6 }) as LabelMapping<string>;
    expect(m.get("get")).toBe(1);
    expect(m("size")).toBe(2);
    expect(m.size).toBe(6);
    expect(m.name).toBe(3);
    expect(m.length).toBe(4);
    expect(m.inverse(5)).toBe("inverse");
  });

  it("round-trips JSON from strings and objects", () => {
    const m = LabelMapping.fromJSON('{"liver": 1, "spleen": 2}');
    expect(m.items()).toEqual([["liver", 1], ["spleen", 2]]);
    expect(LabelMapping.fromJSON({ a: 7 }).get("a")).toBe(7);
    expect(codeOf(() => LabelMapping.fromJSON("{nope"))).toBe("BAD_FORMAT");
    expect(codeOf(() => LabelMapping.fromJSON("[1, 2]"))).toBe("BAD_FORMAT");
  });

  it("builds from entries, Maps and other mappings, and clones independently", () => {
    const a = new LabelMapping(new Map([["x", 1]]));
    const b = new LabelMapping(a);
    b.set("y", 2);
    expect(a.size).toBe(1);
    const c = a.clone();
    c.delete("x");
    expect(a.hasName("x")).toBe(true);
  });

  it("prints readably", () => {
    expect(String(new LabelMapping({ liver: 1 }))).toBe('LabelMapping { "liver": 1 }');
  });

  it("types names from a literal object", () => {
    const m = new LabelMapping({ liver: 1, spleen: 2 });
    expectTypeOf(m.liver).toEqualTypeOf<number>();
    expectTypeOf(m.get).parameter(0).toEqualTypeOf<"liver" | "spleen">();
    // @ts-expect-error "livr" is not a known name
    expect(() => m.get("livr")).toThrow();
    const loose: LabelMapping<string> = m; // a typed mapping is usable where any mapping is expected
    expect(loose.get("liver")).toBe(1);
  });
});
