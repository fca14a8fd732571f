import { useState, useSyncExternalStore } from 'react';
import { invoke } from '../../api';
import { errorText, SignInCancelled, useAuth } from '../../auth';
import { useReview } from '../../review';

// "Capture for meeting": the figures and tables the committee looked at go into the draft meeting
// record as they were shown (issue 5 "Meetings"; meetings.addFigure stores the bytes with their
// SHA-256). The Meeting view chooses the draft that receives captures (the capture target); the
// Plot and DataGrid toolbars and the review tables show a "Capture for meeting" button while one is
// chosen. Plots are captured as PNG at twice the screen resolution, tables as SVG (vector). The images carry no title or footnote of their own: the record stores them as the
// figure's title and caption, and the minutes print them there.

export interface CaptureTarget {
  meetingId: number;
  version: number;
  title: string;
}

export interface CapturedImage {
  mime: 'image/png' | 'image/svg+xml';
  dataBase64: string;
}

const KEY = 'dosedesk.captureTarget.v1';
let target: CaptureTarget | null = read();
const listeners = new Set<() => void>();

function read(): CaptureTarget | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as CaptureTarget | null;
    return v && typeof v.meetingId === 'number' && typeof v.version === 'number' ? v : null;
  } catch {
    return null;
  }
}

export function setCaptureTarget(t: CaptureTarget | null): void {
  target = t;
  try {
    if (t) localStorage.setItem(KEY, JSON.stringify(t));
    else localStorage.removeItem(KEY);
  } catch {
    /* storage disabled */
  }
  for (const l of listeners) l();
}

export function useCaptureTarget(): CaptureTarget | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => target,
  );
}

/** Listeners told after a capture (the Meeting view refreshes its figure list). */
const captured = new Set<() => void>();
export function onCaptured(fn: () => void): () => void {
  captured.add(fn);
  return () => captured.delete(fn);
}

/** A data: URL's base64 payload (SVG data URLs from plotly are URI-encoded text). */
export function dataUrlToBase64(url: string): string {
  const comma = url.indexOf(',');
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  if (head.endsWith(';base64')) return body;
  return textToBase64(decodeURIComponent(body));
}

export function textToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function CaptureButton({ title, caption, render, testId }: { title: string; caption: string; render(): Promise<CapturedImage>; testId: string }) {
  const t = useCaptureTarget();
  const auth = useAuth();
  const [state, setState] = useState<{ status: 'idle' | 'busy' | 'done' | 'error'; message?: string }>({ status: 'idle' });
  if (!t) return null;
  const capture = async () => {
    setState({ status: 'busy' });
    try {
      const img = await render();
      await auth.withSession((session) => invoke('meetings.addFigure', { session, meetingId: t.meetingId, version: t.version, title, caption, mime: img.mime, dataBase64: img.dataBase64 }), `Capturing "${title}" into the meeting record needs a signed-in editor.`);
      setState({ status: 'done', message: `Captured into ${t.title} (version ${t.version})` });
      for (const fn of captured) fn();
    } catch (e) {
      if (e instanceof SignInCancelled) return setState({ status: 'idle' });
      setState({ status: 'error', message: errorText(e) });
    }
  };
  return (
    <span className="capture">
      <button type="button" className="btn btn-small btn-capture" onClick={() => void capture()} disabled={state.status === 'busy'} title={`Capture into the draft "${t.title}" (version ${t.version})`} data-testid={testId}>
        {state.status === 'busy' ? 'Capturing…' : 'Capture for meeting'}
      </button>
      <span className={`capture-status${state.status === 'error' ? ' form-problem' : ''}`} role="status" aria-live="polite" data-testid={`${testId}-status`}>
        {state.status === 'done' ? '✓ captured' : state.status === 'error' ? state.message : ''}
      </span>
    </span>
  );
}

// ---- tables as SVG --------------------------------------------------------------------------------

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let canvas: HTMLCanvasElement | null = null;
/** Text width in px at a Helvetica-like font (the PDF draws SVG text in Helvetica). */
function textWidth(text: string, size: number, bold = false): number {
  try {
    canvas ??= document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    if (ctx) {
      ctx.font = `${bold ? 'bold ' : ''}${size}px Helvetica, Arial, 'Liberation Sans', sans-serif`;
      return ctx.measureText(text).width;
    }
  } catch {
    /* no canvas: estimate */
  }
  return text.length * size * 0.55;
}

/** Cuts a cell to `max` characters (tables in minutes stay one line per row). */
const clip = (s: string, max = 80) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * A table drawn as SVG: title (optional), header row, body rows with light rules, and the footnote lines under
 * it. Column widths follow the widest cell; only rect, line and text elements (the minutes' PDF
 * renderer draws them as vectors).
 */
export function tableSvg(t: { title: string; footnote: string; head: string[]; rows: string[][] }): string {
  const size = 11;
  const pad = 8;
  const rowH = 20;
  const head = t.head.map((h) => clip(h, 40));
  const rows = t.rows.map((r) => r.map((c) => clip(c)));
  const widths = head.map((h, i) => Math.ceil(Math.max(textWidth(h, size, true), ...rows.map((r) => textWidth(r[i] ?? '', size))) + 2 * pad));
  const tableW = widths.reduce((a, b) => a + b, 0);
  const footLines = t.footnote ? t.footnote.split('\n') : [];
  const width = Math.max(tableW, textWidth(t.title, 14, true), ...footLines.map((l) => textWidth(l, 9))) + 2;
  const top = t.title ? 30 : 1;
  const height = top + rowH * (rows.length + 1) + (footLines.length ? 10 + footLines.length * 13 + 4 : 2);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}">`);
  out.push(`<rect x="0" y="0" width="${Math.ceil(width)}" height="${Math.ceil(height)}" fill="#ffffff"/>`);
  if (t.title) out.push(`<text x="1" y="18" font-family="Helvetica" font-size="14" font-weight="bold" fill="#1d2430">${esc(t.title)}</text>`);
  out.push(`<rect x="1" y="${top}" width="${tableW}" height="${rowH}" fill="#eef1f5"/>`);
  let x = 1;
  head.forEach((h, i) => {
    out.push(`<text x="${x + pad}" y="${top + 14}" font-family="Helvetica" font-size="${size}" font-weight="bold" fill="#1d2430">${esc(h)}</text>`);
    x += widths[i]!;
  });
  rows.forEach((r, j) => {
    const y = top + rowH * (j + 1);
    out.push(`<line x1="1" y1="${y}" x2="${1 + tableW}" y2="${y}" stroke="#d9dde3" stroke-width="0.8"/>`);
    let cx = 1;
    r.forEach((c, i) => {
      out.push(`<text x="${cx + pad}" y="${y + 14}" font-family="Helvetica" font-size="${size}" fill="#1d2430">${esc(c)}</text>`);
      cx += widths[i] ?? 0;
    });
  });
  const bottom = top + rowH * (rows.length + 1);
  out.push(`<line x1="1" y1="${bottom}" x2="${1 + tableW}" y2="${bottom}" stroke="#8a939f" stroke-width="1"/>`);
  footLines.forEach((l, i) => out.push(`<text x="1" y="${bottom + 20 + i * 13}" font-family="Helvetica" font-size="9" fill="#5b6472">${esc(l)}</text>`));
  out.push('</svg>');
  return out.join('\n');
}

/** The text of an HTML table: header cells of the last header row, body rows (cell text on one line). */
export function htmlTableRows(table: HTMLTableElement): { head: string[]; rows: string[][] } {
  const text = (el: Element) =>
    ((el as HTMLElement).innerText || el.textContent || '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .join('; ');
  const headRows = table.tHead ? [...table.tHead.rows] : [];
  const head = headRows.length ? [...headRows[headRows.length - 1]!.cells].map(text) : [];
  const bodies = table.tBodies.length ? [...table.tBodies] : [];
  const rows = bodies.flatMap((b) => [...b.rows].map((r) => [...r.cells].map(text)));
  return { head: head.length ? head : (rows.shift() ?? []), rows };
}

/** "Capture for meeting" for an HTML table on screen (found by its data-testid when clicked). */
export function CaptureTableButton({ tableTestId, title, footnote, testId }: { tableTestId: string; title: string; footnote?: string; testId: string }) {
  const review = useReview();
  return (
    <CaptureButton
      title={title}
      caption={footnote ?? review.footnote()}
      testId={testId}
      render={async () => {
        const el = document.querySelector(`[data-testid="${tableTestId}"]`);
        const table = el instanceof HTMLTableElement ? el : el?.querySelector('table');
        if (!table) throw new Error(`the table ${tableTestId} is not on screen`);
        const { head, rows } = htmlTableRows(table);
        return { mime: 'image/svg+xml', dataBase64: textToBase64(tableSvg({ title: '', footnote: '', head, rows })) };
      }}
    />
  );
}
