import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The independent reference data (R, WinNonlin, admiral outputs, the CDISC pilot) lives beside the
// repository in ../shared/reference and is not committed here. Tests that need it run whenever it is
// present (CI always has it) and are skipped otherwise, with one line naming what is missing — never
// crashing at load, never passing without checking anything.

/** ../shared/reference, seen from the repository root (DOSEDESK_REFERENCE_DIR overrides it, e.g. to check the skips). */
export const REFERENCE_ROOT = process.env.DOSEDESK_REFERENCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/reference');

const reported = new Set<string>();

/**
 * The path of `rel` inside ../shared/reference when it exists, else null — after printing (once per
 * test process and file) one line naming what is missing, for the test that needs it.
 */
export function referencePath(rel: string, neededBy: string): string | null {
  return referencePaths([rel], neededBy)?.[0] ?? null;
}

/** All of `rels` inside ../shared/reference, or null (one line naming every missing one) when any is missing. */
export function referencePaths(rels: string[], neededBy: string): string[] | null {
  const paths = rels.map((r) => path.join(REFERENCE_ROOT, r));
  const missing = rels.filter((_, i) => !fs.existsSync(paths[i]!));
  if (missing.length === 0) return paths;
  const line = `skipped: ${neededBy} needs ${missing.map((r) => path.join('../shared/reference', r)).join(', ')} (reference data, not in this repository; CI has it)`;
  if (!reported.has(line)) {
    reported.add(line);
    console.warn(line);
  }
  return null;
}

/** The text of a reference file, or '' when it is missing (the tests that read it are then skipped). */
export function referenceText(p: string | null): string {
  return p === null ? '' : fs.readFileSync(p, 'utf8');
}
