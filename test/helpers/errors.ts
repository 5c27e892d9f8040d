import { MedMaskError } from "../../src/index.js";

/** The MedMaskError code `fn` throws, a description of any other throw, or undefined. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof MedMaskError ? e.code : `not a MedMaskError: ${String(e)}`;
  }
  return undefined;
}

/** The same for async functions. */
export async function asyncCodeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof MedMaskError ? e.code : `not a MedMaskError: ${String(e)}`;
  }
  return undefined;
}

/** The MedMaskError `fn` throws (a test fails when it throws none, or another kind). */
export function errorOf(fn: () => unknown): MedMaskError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MedMaskError) return e;
    throw new Error(`not a MedMaskError: ${String(e)}`);
  }
  throw new Error("no error was thrown");
}
