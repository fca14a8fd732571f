import fs from 'node:fs';
import type { Download, Page } from '@playwright/test';

// A table export downloads two files: <name>.csv (header + rows only) and <name>.json (the sidecar:
// title, snapshot, filters, row count, footnote). This waits for both and reads them.

export interface Sidecar {
  title: string;
  csvFile: string;
  snapshot: { contentHash: string | null; dataCutoff: string | null };
  viewFilters: string;
  tableFilters: string[];
  rows: { exported: number; total: number };
  columns: string[];
  footnote: string;
}

export async function exportTable(page: Page, click: () => Promise<void>): Promise<{ csvName: string; csv: string; lines: string[]; sidecar: Sidecar; sidecarName: string }> {
  const got: Download[] = [];
  const on = (d: Download) => void got.push(d);
  page.on('download', on);
  try {
    await click();
    const until = Date.now() + 15_000;
    while (got.length < 2 && Date.now() < until) await page.waitForTimeout(50);
  } finally {
    page.off('download', on);
  }
  const csvD = got.find((d) => d.suggestedFilename().endsWith('.csv'));
  const jsonD = got.find((d) => d.suggestedFilename().endsWith('.json'));
  if (!csvD || !jsonD) throw new Error(`expected a .csv and a .json download, got ${got.map((d) => d.suggestedFilename()).join(', ') || 'none'}`);
  const csv = fs.readFileSync((await csvD.path())!, 'utf8').replace(/^\uFEFF/, '');
  const sidecar = JSON.parse(fs.readFileSync((await jsonD.path())!, 'utf8')) as Sidecar;
  return { csvName: csvD.suggestedFilename(), csv, lines: csv.replace(/\r?\n$/, '').split(/\r?\n/), sidecar, sidecarName: jsonD.suggestedFilename() };
}
