import { useState, useSyncExternalStore } from 'react';
import { invoke } from '../../api';
import { errorText, SignInCancelled, useAuth } from '../../auth';
import { useReview } from '../../review';
import { TABLE_FIGURE_MIME } from '../../../../shared/meeting';

// "Capture for meeting": the figures and tables the committee looked at go into the draft meeting
// record as they were shown (issue 5 "Meetings"; meetings.addFigure stores the bytes with their
// SHA-256). The Meeting view chooses the draft that receives captures (the capture target); the
// Plot and DataGrid toolbars and the review tables show a "Capture for meeting" button while one is
// chosen. Plots are captured as PNG at twice the screen resolution, tables as their data (columns and rows as shown; printed in the minutes as a paginated table). The images carry no title or footnote of their own: the record stores them as the
// figure's title and caption, and the minutes print them there.

export interface CaptureTarget {
  meetingId: number;
  version: number;
  title: string;
}

export interface CapturedImage {
  mime: 'image/png' | 'image/svg+xml' | typeof TABLE_FIGURE_MIME;
  dataBase64: string;
}

/**
 * A table captured as its data (columns and the rows shown, as displayed): the minutes print it as
 * a real table over as many pages as it needs, at a readable size (issue 12 item 5).
 */
export function tableCapture(head: string[], rows: string[][], groups?: { label: string; span: number }[]): CapturedImage {
  // a group row's label goes before the columns it spans ("AUC: 0-inf"), as in tableSvg
  let columns = head;
  if (groups) {
    const labels: string[] = [];
    for (const g of groups) for (let i = 0; i < g.span; i++) labels.push(g.label);
    columns = head.map((h, i) => (labels[i] ? `${labels[i]}: ${h}` : h));
  }
  return { mime: TABLE_FIGURE_MIME, dataBase64: textToBase64(JSON.stringify({ columns, rows })) };
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
 * A table drawn as SVG: title (optional), header row, body rows with light rules (a cell may hold
 * several lines, separated by "\n"), and the footnote lines under it. Column widths follow the
 * widest line; only rect, line and text elements (the minutes' PDF renderer draws them as vectors).
 */
export function tableSvg(t: { title: string; footnote: string; head: string[]; rows: string[][]; groups?: { label: string; span: number }[] }): string {
  const size = 11;
  const pad = 8;
  const lineH = 13;
  const head = t.head.map((h) => clip(h, 48));
  const rows = t.rows.map((r) => r.map((c) => c.split('\n').map((l) => clip(l))));
  const widths = head.map((h, i) => Math.ceil(Math.max(textWidth(h, size, true), ...rows.flatMap((r) => (r[i] ?? ['']).map((l) => textWidth(l, size)))) + 2 * pad));
  const heights = rows.map((r) => 7 + lineH * Math.max(1, ...r.map((c) => c.length)));
  const headH = 20;
  const tableW = widths.reduce((a, b) => a + b, 0);
  const footLines = t.footnote ? t.footnote.split('\n') : [];
  const width = Math.ceil(Math.max(tableW, t.title ? textWidth(t.title, 14, true) : 0, ...footLines.map((l) => textWidth(l, 9))) + 2);
  const groupH = t.groups?.some((g) => g.label) ? 18 : 0;
  const top = (t.title ? 30 : 1) + groupH;
  const bottom = top + headH + heights.reduce((a, b) => a + b, 0);
  const height = Math.ceil(bottom + (footLines.length ? 10 + footLines.length * 13 + 4 : 2));
  const text = (x: number, y: number, s: string, bold = false, fs = size, fill = '#1d2430') => `<text x="${x}" y="${y}" font-family="Helvetica" font-size="${fs}"${bold ? ' font-weight="bold"' : ''} fill="${fill}">${esc(s)}</text>`;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  if (t.title) out.push(text(1, 18, t.title, true, 14));
  if (groupH && t.groups) {
    let gx = 1;
    let col = 0;
    for (const g of t.groups) {
      const w = widths.slice(col, col + g.span).reduce((a, b) => a + b, 0);
      if (g.label) {
        out.push(text(gx + pad, top - 5, g.label, true, size - 1, '#5b6472'));
        out.push(`<line x1="${gx + 4}" y1="${top - 1}" x2="${gx + w - 4}" y2="${top - 1}" stroke="#8a939f" stroke-width="0.8"/>`);
      }
      gx += w;
      col += g.span;
    }
  }
  out.push(`<rect x="1" y="${top}" width="${tableW}" height="${headH}" fill="#eef1f5"/>`);
  let x = 1;
  head.forEach((h, i) => {
    out.push(text(x + pad, top + 14, h, true));
    x += widths[i]!;
  });
  let y = top + headH;
  rows.forEach((r, j) => {
    out.push(`<line x1="1" y1="${y}" x2="${1 + tableW}" y2="${y}" stroke="#d9dde3" stroke-width="0.8"/>`);
    let cx = 1;
    r.forEach((lines, i) => {
      lines.forEach((l, k) => out.push(text(cx + pad, y + 14 + k * lineH, l, false, k === 0 ? size : size - 1.5, k === 0 ? '#1d2430' : '#5b6472')));
      cx += widths[i] ?? 0;
    });
    y += heights[j]!;
  });
  out.push(`<line x1="1" y1="${bottom}" x2="${1 + tableW}" y2="${bottom}" stroke="#8a939f" stroke-width="1"/>`);
  footLines.forEach((l, i) => out.push(text(1, bottom + 20 + i * 13, l, false, 9, '#5b6472')));
  out.push('</svg>');
  return out.join('\n');
}

/** A cell's text, one line per visual line, without footnote markers (<sup>) or screen-reader-only text. */
function cellText(el: Element): string {
  const c = el.cloneNode(true) as HTMLElement;
  c.querySelectorAll('sup, .sr-only, button').forEach((n) => n.remove());
  c.querySelectorAll('*').forEach((n) => n.append(' ')); // "DL1" + "0.01 mg/kg" in separate spans stay apart
  // innerText needs layout: read the live cell's structure from the clone's block children instead.
  const blocks = c.querySelectorAll('li, div, p');
  const lines = blocks.length ? [firstOwnText(c), ...[...blocks].map((b) => (b.textContent ?? '').trim())] : [(c.textContent ?? '').trim()];
  return lines
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The text of a cell before its first block child (e.g. the count above a list). */
function firstOwnText(el: HTMLElement): string {
  let out = '';
  for (const n of el.childNodes) {
    if (n.nodeType === Node.ELEMENT_NODE && /^(UL|OL|LI|DIV|P)$/.test((n as Element).tagName)) break;
    out += n.textContent ?? '';
  }
  return out;
}

/** The text of an HTML table: its header (a group row's label is put before the columns it spans) and body rows. */
export function htmlTableRows(table: HTMLTableElement): { head: string[]; rows: string[][]; groups?: { label: string; span: number }[] } {
  const headRows = table.tHead ? [...table.tHead.rows] : [];
  const last = headRows[headRows.length - 1];
  const head = last ? [...last.cells].map((c) => cellText(c).replace(/\n/g, ' ')) : [];
  const groups = headRows.length > 1 ? [...headRows[0]!.cells].map((c) => ({ label: c.tagName === 'TH' ? cellText(c).replace(/\n/g, ' ') : '', span: c.colSpan })) : undefined;
  const spanned = groups?.reduce((a, g) => a + g.span, 0);
  const rows = [...table.tBodies].flatMap((b) => [...b.rows].map((r) => [...r.cells].map(cellText)));
  return { head: head.length ? head : (rows.shift() ?? []), rows, groups: spanned === head.length ? groups : undefined };
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
        const { head, rows, groups } = htmlTableRows(table);
        return tableCapture(head, rows, groups);
      }}
    />
  );
}
