/**
 * Render dose-escalation meeting minutes as a PDF a sponsor files (docs/CLINICAL_RULES.md#meetings "What the
 * minutes of a dose-escalation meeting contain"; 21 CFR 11.50 signature manifestations; 11.10(b)
 * human-readable and electronic copies: the machine-readable record travels as an attachment).
 *
 * pdf-lib with DejaVu Sans / Sans Mono embedded as subsets for WinAnsi text (text.ts) and, for every
 * other script, fallback fonts embedded as subsets (fonts.ts: Droid Sans Fallback, Noto Arabic…), A4
 * portrait, tables with horizontal rules (booktabs style) at 9 pt that flow over as many pages as
 * they need with the header row repeated (never shrunk to fit a page), a header and footer on every
 * page with "Page N of M", the minutes version and the first 16 hex digits of the snapshot hash.
 * The file is PDF/A-3b (pdfa.ts): XMP metadata, an sRGB output intent, every font embedded, the
 * record attached as an associated file.
 */
import {
  PDFDocument,
  PDFFont,
  PDFPage,
  rgb,
  degrees,
  type RGB,
  type PDFImage,
  type PDFEmbeddedPage,
} from 'pdf-lib';
import {
  MINUTES_RENDERER,
  RECORD_ATTACHMENT_MIME,
  RECORD_ATTACHMENT_NAME,
  type MinutesDocument,
  type MinutesDoseLevel,
  type MinutesFigure,
  type MinutesSignatureManifestation,
  type MinutesTable,
} from './document.js';
import { toWinAnsi } from './text.js';
import { FallbackFonts, documentFontBytes } from './fonts.js';
import fontkit from '@pdf-lib/fontkit';
import { DECISION_LABELS, type CommitteeDecision } from '../../../shared/meeting';
import { makePdfA3b } from './pdfa.js';
import { svgToPdfPage } from './svg.js';

// ---------------------------------------------------------------------------------------------
// Page geometry and typography (points; A4 = 210 × 297 mm = 595.28 × 841.89 pt).

export const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 62;
const TOP = 84; // first baseline region below the header
const BOTTOM = 76; // above the footer
const CONTENT_W = A4[0] - 2 * MARGIN_X;

const INK: RGB = rgb(0.12, 0.13, 0.15);
const MUTED: RGB = rgb(0.4, 0.42, 0.46);
const ACCENT: RGB = rgb(0.08, 0.22, 0.4);
const RULE: RGB = rgb(0.25, 0.27, 0.3);
const HAIRLINE: RGB = rgb(0.8, 0.82, 0.85);
const BAND: RGB = rgb(0.955, 0.963, 0.972);
const WARN: RGB = rgb(0.62, 0.2, 0.05);

const BODY = 10;
const LEADING = 14;
const SMALL = 8.5;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  mono: PDFFont;
}

export interface RenderOptions {
  /** Creation/modification date written into the PDF info dictionary (default: now). */
  createdAt?: Date;
  /** Printed on the signatures page (issue 11): the trust root, the signer's certificate, the audit head. */
  trust?: { rootFingerprint: string; rootSubject: string; signerFingerprint: string; auditHead: { seq: number; hash: string } };
  /** Attached as minutes-manifest.json (inside what the PDF signature covers). */
  manifestJson?: string;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** The fallback fonts of the document each standard font belongs to (set by renderMinutesPdf). */
const fallbackOf = new WeakMap<PDFFont, FallbackFonts>();

/** Width of text as drawn: standard font runs and fallback font runs (fonts.ts). */
export function measure(font: PDFFont, s: string, size: number): number {
  const fb = fallbackOf.get(font);
  return fb ? fb.width(s, font, size) : font.widthOfTextAtSize(toWinAnsi(s), size);
}

/** Split text into lines that fit `width` at `size` (words, then characters for long tokens). */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const fits = (s: string) => measure(font, s, size) <= width;
  for (const para of text.replace(/\r/g, '').split('\n')) {
    const words = para.split(/ +/).filter((w, i, a) => w.length > 0 || a.length === 1);
    let line = '';
    for (const word of words) {
      const candidate = line.length === 0 ? word : `${line} ${word}`;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line.length > 0) lines.push(line);
      // A single token longer than the line (hashes, ids, CJK text without spaces): break it by characters.
      let rest = Array.from(word);
      while (rest.length > 1 && !fits(rest.join(''))) {
        let n = rest.length - 1;
        while (n > 1 && !fits(rest.slice(0, n).join(''))) n--;
        lines.push(rest.slice(0, n).join(''));
        rest = rest.slice(n);
      }
      line = rest.join('');
    }
    lines.push(line);
  }
  return lines;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2025-03-14" → "14 March 2025"; anything else is returned as given. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/**
 * A signature time as executed, in the signer's local time with its UTC offset and zone
 * (21 CFR 11.50(a)(2) "date and time"): "2025-03-14T16:05:00+01:00" → "14 March 2025, 16:05:00
 * (UTC+01:00, Europe/Berlin)". The ISO text is printed as given (no re-zoning).
 */
export function formatSignedAt(iso: string, timezone: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso.trim());
  if (!m) return timezone ? `${iso} (${timezone})` : iso;
  const offset = m[4] === undefined ? '' : m[4] === 'Z' ? 'UTC' : `UTC${m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4]}`;
  const zone = [offset, timezone].filter((s) => s && s.length > 0).join(', ');
  return `${formatDate(m[1]!)}, ${m[2]}${m[3] ?? ':00'}${zone ? ` (${zone})` : ''}`;
}

/** The decision in the shared words (shared/meeting.ts DECISION_LABELS): what the screen showed. */
export function decisionLabel(decision: string): string {
  return decision in DECISION_LABELS ? DECISION_LABELS[decision as CommitteeDecision] : decision;
}

// ---------------------------------------------------------------------------------------------
// The page writer: a cursor that flows content over A4 pages.

class Writer {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;

  constructor(
    readonly doc: PDFDocument,
    readonly f: Fonts,
    readonly fb: FallbackFonts,
  ) {}

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - TOP;
  }

  /** Start a new page unless `h` points still fit above the bottom margin. */
  ensure(h: number): void {
    if (this.y - h < BOTTOM) this.newPage();
  }

  get available(): number {
    return this.y - BOTTOM;
  }

  text(s: string, x: number, y: number, font: PDFFont, size: number, color: RGB = INK): void {
    this.fb.draw(this.page, s, { x, y, font, size, color });
  }

  line(x1: number, y1: number, x2: number, y2: number, thickness: number, color: RGB = RULE): void {
    this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness, color });
  }

  gap(h: number): void {
    this.y -= h;
  }

  /** A wrapped paragraph; lines flow over pages. */
  paragraph(
    s: string,
    opts: { font?: PDFFont; size?: number; color?: RGB; leading?: number; indent?: number; width?: number; after?: number } = {},
  ): void {
    const font = opts.font ?? this.f.regular;
    const size = opts.size ?? BODY;
    const leading = opts.leading ?? LEADING;
    const indent = opts.indent ?? 0;
    const width = opts.width ?? CONTENT_W - indent;
    for (const ln of wrapText(s, font, size, width)) {
      this.ensure(leading);
      this.y -= leading;
      this.text(ln, MARGIN_X + indent, this.y + (leading - size) / 2 + 1, font, size, opts.color ?? INK);
    }
    this.y -= opts.after ?? 4;
  }

  /** Numbered section heading with a rule; kept with at least `keep` points of what follows. */
  heading(number: string, title: string, keep = 90): void {
    this.ensure(34 + keep);
    if (this.y < A4[1] - TOP - 1) this.y -= 14;
    this.y -= 18;
    const label = number ? `${number}  ${title}` : title;
    this.text(label, MARGIN_X, this.y, this.f.bold, 13.5, ACCENT);
    this.y -= 7;
    this.line(MARGIN_X, this.y, MARGIN_X + CONTENT_W, this.y, 0.8, ACCENT);
    this.y -= 10;
  }

  subheading(title: string, keep = 70): void {
    this.ensure(24 + keep);
    this.y -= 8;
    this.y -= 13;
    this.text(title, MARGIN_X, this.y, this.f.bold, 11.5, INK);
    this.y -= 6;
  }

  /** A small bold label above a block ("DLT summary per subject"). */
  label(title: string, keep = 40): void {
    this.ensure(18 + keep);
    this.y -= 6;
    this.y -= 11;
    this.text(title.toUpperCase(), MARGIN_X, this.y, this.f.bold, 8, MUTED);
    this.y -= 5;
  }

  /** Label / value rows (no box), the value wrapping in its column. */
  keyValues(rows: [string, string, PDFFont?][], labelWidth = 150): void {
    const valueW = CONTENT_W - labelWidth;
    for (const [k, v, font] of rows) {
      const vf = font ?? this.f.regular;
      const size = vf === this.f.mono ? 8 : BODY;
      const lines = wrapText(v, vf, size, valueW);
      const klines = wrapText(k, this.f.bold, 9, labelWidth - 10);
      const h = Math.max(lines.length, klines.length) * LEADING + 4;
      this.ensure(h);
      const top = this.y;
      klines.forEach((ln, i) => this.text(ln, MARGIN_X, top - (i + 1) * LEADING + 3, this.f.bold, 9, MUTED));
      lines.forEach((ln, i) => this.text(ln, MARGIN_X + labelWidth, top - (i + 1) * LEADING + 3, vf, size, INK));
      this.y = top - h;
      this.line(MARGIN_X, this.y + 1.5, MARGIN_X + CONTENT_W, this.y + 1.5, 0.3, HAIRLINE);
    }
    this.y -= 4;
  }

  /**
   * A table with booktabs rules: heavy top and bottom rule, light rule under the header,
   * hairlines between rows. Rows wrap inside their cells; on a page break the header repeats.
   */
  table(t: MinutesTable, opts: { size?: number; widths?: number[]; caption?: string; label?: string } = {}): void {
    const size = opts.size ?? SMALL + 0.5;
    const lead = size * 1.3;
    const padX = 5;
    const padY = 4;
    const widths = opts.widths ?? columnWidths(t, this.f, size, CONTENT_W, padX);
    const headerLines = t.columns.map((c, i) => wrapText(c, this.f.bold, size, widths[i]! - 2 * padX));
    const headerH = Math.max(1, ...headerLines.map((l) => l.length)) * lead + 2 * padY;

    const drawHeader = (continued: boolean): void => {
      const top = this.y;
      this.line(MARGIN_X, top, MARGIN_X + CONTENT_W, top, 1.1, RULE);
      let x = MARGIN_X;
      headerLines.forEach((lines, i) => {
        lines.forEach((ln, j) => this.text(ln, x + padX, top - padY - (j + 1) * lead + lead * 0.25, this.f.bold, size, INK));
        x += widths[i]!;
      });
      this.y = top - headerH;
      this.line(MARGIN_X, this.y, MARGIN_X + CONTENT_W, this.y, 0.6, RULE);
      if (continued) {
        this.text('(continued)', MARGIN_X + CONTENT_W - this.f.italic.widthOfTextAtSize('(continued)', 8), top + 3, this.f.italic, 8, MUTED);
      }
    };

    const rows = t.rows.map((r) => t.columns.map((_, i) => wrapText(r[i] ?? '', this.f.regular, size, widths[i]! - 2 * padX)));
    const rowHeights = rows.map((cells) => Math.max(1, ...cells.map((c) => c.length)) * lead + 2 * padY);
    const wholeH = headerH + rowHeights.reduce((a, b) => a + b, 0) + 4;
    // Short tables stay on one page; long ones start with the header and at least three rows.
    const keep = rows.length <= 4 && wholeH <= A4[1] - TOP - BOTTOM ? wholeH : headerH + rowHeights.slice(0, 3).reduce((a, b) => a + b, 0) + 4;
    if (opts.label) {
      this.label(opts.label, keep); // the label moves with the table
    } else {
      this.ensure(keep);
    }
    drawHeader(false);
    if (rows.length === 0) {
      this.y -= lead + 2 * padY;
      this.text('No rows.', MARGIN_X + padX, this.y + padY + 2, this.f.italic, size, MUTED);
    }
    rows.forEach((cells, ri) => {
      const h = Math.max(1, ...cells.map((c) => c.length)) * lead + 2 * padY;
      if (this.y - h < BOTTOM) {
        this.line(MARGIN_X, this.y, MARGIN_X + CONTENT_W, this.y, 1.1, RULE);
        this.newPage();
        drawHeader(true);
      }
      const top = this.y;
      if (ri % 2 === 1) {
        this.page.drawRectangle({ x: MARGIN_X, y: top - h, width: CONTENT_W, height: h, color: BAND });
      }
      let x = MARGIN_X;
      cells.forEach((lines, i) => {
        lines.forEach((ln, j) => this.text(ln, x + padX, top - padY - (j + 1) * lead + lead * 0.25, this.f.regular, size, INK));
        x += widths[i]!;
      });
      this.y = top - h;
      if (ri < rows.length - 1) this.line(MARGIN_X, this.y, MARGIN_X + CONTENT_W, this.y, 0.25, HAIRLINE);
    });
    this.line(MARGIN_X, this.y, MARGIN_X + CONTENT_W, this.y, 1.1, RULE);
    if (opts.caption) {
      this.y -= 2;
      this.paragraph(opts.caption, { font: this.f.italic, size: 8, color: MUTED, leading: 11, after: 0 });
    }
    this.y -= 10;
  }

  /**
   * A call-out: an accent bar at the left and a light band, holding label/value lines.
   * Kept on one page when it fits; otherwise flows as plain lines.
   */
  callout(title: string, rows: [string, string][], accent: RGB = ACCENT): void {
    const labelW = 150;
    const valueW = CONTENT_W - labelW - 24;
    const blocks = rows.map(([k, v]) => ({
      k: wrapText(k, this.f.bold, 9, labelW - 8),
      v: wrapText(v, this.f.regular, BODY, valueW),
    }));
    const titleH = 20;
    const h = titleH + blocks.reduce((s, b) => s + Math.max(b.k.length, b.v.length) * LEADING + 3, 0) + 10;
    const fits = h <= A4[1] - TOP - BOTTOM;
    if (fits) this.ensure(h + 6);
    const top = this.y;
    if (fits) {
      this.page.drawRectangle({ x: MARGIN_X, y: top - h, width: CONTENT_W, height: h, color: BAND });
      this.page.drawRectangle({ x: MARGIN_X, y: top - h, width: 3, height: h, color: accent });
    }
    this.y = top - 15;
    this.text(title, MARGIN_X + 14, this.y, this.f.bold, 10.5, accent);
    this.y -= 5;
    for (const b of blocks) {
      const bh = Math.max(b.k.length, b.v.length) * LEADING + 3;
      if (!fits) this.ensure(bh);
      const rowTop = this.y;
      b.k.forEach((ln, i) => this.text(ln, MARGIN_X + 14, rowTop - (i + 1) * LEADING + 3, this.f.bold, 9, MUTED));
      b.v.forEach((ln, i) => this.text(ln, MARGIN_X + 14 + labelW, rowTop - (i + 1) * LEADING + 3, this.f.regular, BODY, INK));
      this.y = rowTop - bh;
    }
    this.y = (fits ? top - h : this.y) - 10;
  }
}

/**
 * Column widths that fit `total` (the auto table layout of CSS 2.1 §17.5.2.2, simplified): every
 * column first gets its minimum (its longest word, so ids and dates never break), the spare
 * width then goes to the columns that want more, in proportion to what they still want
 * (natural width = longest cell line), and any remainder in proportion to the natural widths.
 */
export function columnWidths(t: MinutesTable, f: Pick<Fonts, 'regular' | 'bold'>, size: number, total: number, padX: number): number[] {
  const cellsOf = (i: number): { text: string; font: PDFFont }[] => [
    { text: t.columns[i] ?? '', font: f.bold },
    ...t.rows.map((r) => ({ text: r[i] ?? '', font: f.regular })),
  ];
  const natural = t.columns.map((_, i) =>
    Math.min(total * 0.6, Math.max(0, ...cellsOf(i).flatMap((c) => c.text.split('\n').map((l) => measure(c.font, l, size))))) + 2 * padX,
  );
  const minimum = t.columns.map((_, i) =>
    Math.min(total * 0.4, Math.max(0, ...cellsOf(i).flatMap((c) => c.text.split(/\s+/).map((w) => measure(c.font, w, size))))) + 2 * padX,
  );
  const sumMin = minimum.reduce((a, b) => a + b, 0);
  if (sumMin >= total) return minimum.map((w) => (w * total) / sumMin);
  const spare = total - sumMin;
  const want = natural.map((n, i) => Math.max(0, n - minimum[i]!));
  const sumWant = want.reduce((a, b) => a + b, 0);
  if (sumWant >= spare) return minimum.map((m, i) => m + (spare * want[i]!) / sumWant);
  const rest = spare - sumWant;
  const sumNatural = natural.reduce((a, b) => a + b, 0);
  return natural.map((n) => n + (rest * n) / sumNatural);
}

// ---------------------------------------------------------------------------------------------
// Sections

/** Sections 1-5 are fixed; "Figures" appears only when figures were captured. */
function sectionNumbers(doc: MinutesDocument): { figures: string; signatures: string } {
  return doc.figures.length > 0 ? { figures: '6', signatures: '7' } : { figures: '', signatures: '6' };
}

function titlePage(w: Writer, doc: MinutesDocument): void {
  w.newPage();
  const f = w.f;
  let y = A4[1] - 150;
  const committee = doc.committee ?? 'Dose Escalation Committee';
  const kicker = `${committee}${doc.meetingNumber !== undefined ? ` \u2013 Meeting ${doc.meetingNumber}` : ''}`.toUpperCase();
  w.text(kicker, MARGIN_X, y, f.bold, 9, ACCENT);
  y -= 34;
  for (const ln of wrapText(doc.title, f.bold, 24, CONTENT_W)) {
    w.text(ln, MARGIN_X, y, f.bold, 24, INK);
    y -= 30;
  }
  y -= 2;
  for (const ln of wrapText(`${doc.studyId} \u2013 ${doc.studyTitle}`, f.regular, 13, CONTENT_W)) {
    w.text(ln, MARGIN_X, y, f.regular, 13, INK);
    y -= 18;
  }
  y -= 10;
  w.page.drawRectangle({ x: MARGIN_X, y, width: 56, height: 3, color: ACCENT });
  y -= 34;
  w.y = y;

  const status = doc.version.status.charAt(0).toUpperCase() + doc.version.status.slice(1);
  const rows: [string, string, PDFFont?][] = [
    ['Study', `${doc.studyId}`],
    ['Meeting date', formatDate(doc.meeting.date)],
    ['Time', `${doc.meeting.time} (${doc.meeting.timezone})`],
  ];
  if (doc.meeting.location) rows.push(['Location / format', doc.meeting.location]);
  rows.push(['Minutes version', `${doc.version.number} (${status})`]);
  if (doc.version.amends !== undefined) rows.push(['Amends version', String(doc.version.amends)]);
  if (doc.version.reason) rows.push(['Reason for amendment', doc.version.reason]);
  rows.push(['Data snapshot', doc.snapshot.label]);
  rows.push(['Data cut-off', formatDate(doc.snapshot.dataCutoff)]);
  rows.push(['Snapshot content hash (SHA-256)', doc.snapshot.contentHash, f.mono]);
  w.keyValues(rows, 150);

  // Document-control note at the foot of the title page.
  const notes = [
    `Electronic signatures: ${doc.signatures.length === 0 ? 'none recorded for this version' : `${doc.signatures.length} recorded (section ${sectionNumbers(doc).signatures})`}. The file carries a PDF digital signature over the whole document, applied when it was exported; any later change to the file invalidates it.`,
    `The machine-readable record of these minutes is attached to this PDF as ${RECORD_ATTACHMENT_NAME}.`,
  ];
  let ny = BOTTOM + 12 + notes.length * 26;
  w.line(MARGIN_X, ny + 14, MARGIN_X + CONTENT_W, ny + 14, 0.4, HAIRLINE);
  for (const note of notes) {
    for (const ln of wrapText(note, f.regular, 8.5, CONTENT_W)) {
      w.text(ln, MARGIN_X, ny, f.regular, 8.5, MUTED);
      ny -= 11.5;
    }
    ny -= 4;
  }
}

function attendanceSection(w: Writer, doc: MinutesDocument): void {
  w.newPage();
  w.heading('1', 'Attendance and quorum');
  w.table({
    columns: ['Name', 'Role', 'Voting', 'Attendance'],
    rows: doc.attendees.map((a) => [a.name, a.role, a.voting ? 'Voting' : 'Non-voting', a.present ? 'Present' : 'Apologies']),
  });
  w.label('Quorum', 40);
  w.paragraph(
    `Charter quorum: ${doc.quorum.required}. Voting members present: ${doc.quorum.present}. ` +
      (doc.quorum.met ? 'The meeting was quorate.' : 'The meeting was NOT quorate; decisions below are not valid without ratification.'),
    { font: doc.quorum.met ? w.f.regular : w.f.bold, color: doc.quorum.met ? INK : WARN },
  );
  w.label('Conflicts of interest', 30);
  if (doc.conflicts.length === 0) {
    w.paragraph('None declared.');
  } else {
    for (const c of doc.conflicts) w.paragraph(`${c.name}: ${c.declaration}`);
  }
}

function dataSection(w: Writer, doc: MinutesDocument): void {
  w.heading('2', 'Data reviewed');
  w.keyValues([
    ['Data snapshot', doc.snapshot.label],
    ['Data cut-off', formatDate(doc.snapshot.dataCutoff)],
    ['Content hash (SHA-256)', doc.snapshot.contentHash, w.f.mono],
  ]);
  w.paragraph(
    'All tables, recommendations and figures in these minutes were computed from this snapshot; the content hash identifies it exactly.',
    { size: 9, color: MUTED },
  );
}

function voteTally(votes: { vote: string }[]): string {
  const counts = new Map<string, number>();
  // count the vote itself, not a comment written after it ("for \u2013 with the sentinel condition")
  for (const v of votes) {
    const k = v.vote.split(/\s+\u2013\s+/)[0]!.trim().toLowerCase();
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()].map(([k, n]) => `${k.charAt(0).toUpperCase()}${k.slice(1)}: ${n}`).join('   ');
}

function doseLevelSection(w: Writer, dl: MinutesDoseLevel, index: number): void {
  w.subheading(`3.${index + 1}  ${dl.level} \u2013 ${dl.dose} ${dl.unit}`, 120);
  if (dl.summary) w.paragraph(dl.summary, { after: 2 });
  if (dl.parts && dl.parts.length > 0) {
    // Everyone treated at the dose, one table per part (escalation, expansion).
    for (const p of dl.parts) w.table(p.table, { label: `DLT summary per subject \u2013 ${p.label}` });
  } else {
    w.table(dl.dltTable, { label: 'DLT summary per subject' });
  }

  const recRows: [string, string][] = [
    ['Rule', dl.recommendation.rule],
    ['Recommendation', dl.recommendation.action],
  ];
  if (dl.recommendation.explanation) recRows.push(['Basis', dl.recommendation.explanation]);
  for (const c of dl.context) recRows.push([`For context: ${c.rule}`, c.action]);
  w.callout('Rule-based recommendation (computed from the data)', recRows, MUTED);

  const d = dl.decision;
  const decRows: [string, string][] = [
    ['Decision', decisionLabel(d.decision)],
    ['Next dose', d.nextDose || 'Not applicable'],
    ['Next cohort size', d.cohortSize === null ? 'Not applicable' : `${d.cohortSize} subject${d.cohortSize === 1 ? '' : 's'}`],
    ['Departs from the rule', d.departsFromRule ? 'Yes \u2013 rationale recorded below' : 'No'],
    ['Rationale', d.rationale || (d.departsFromRule ? 'MISSING (required when the decision departs from the rule)' : 'As recommended by the rule.')],
  ];
  if (d.conditions) decRows.push(['Conditions', d.conditions]);
  w.callout("Committee's decision", decRows, d.departsFromRule ? WARN : ACCENT);

  w.table(
    { columns: ['Voting member', 'Vote'], rows: dl.votes.map((v) => [v.name, v.vote.charAt(0).toUpperCase() + v.vote.slice(1)]) },
    {
      label: 'Votes of the voting members',
      widths: [CONTENT_W * 0.7, CONTENT_W * 0.3],
      caption: dl.votes.length > 0 ? `Tally \u2013 ${voteTally(dl.votes)}` : undefined,
    },
  );
}

/** Departures from the rule and decisions that contradict each other, each with the rationale given. */
function contradictionsBlock(w: Writer, doc: MinutesDocument): void {
  if (doc.contradictions === undefined) return; // records rendered before the check existed
  w.subheading(`3.${doc.doseLevels.length + 1}  Departures and contradictions`, 60);
  if (doc.contradictions.length === 0) {
    w.paragraph('None: every decision agrees with the rule and with the other decisions.');
    return;
  }
  w.table(
    { columns: ['Levels', 'What does not agree', 'Rationale given'], rows: doc.contradictions.map((c) => [c.levels, c.message, c.rationale]) },
    { widths: [CONTENT_W * 0.14, CONTENT_W * 0.46, CONTENT_W * 0.4] },
  );
}

function observationsSection(w: Writer, doc: MinutesDocument): void {
  w.heading('4', 'Other observations');
  const items: [string, string][] = [
    ['Safety', doc.observations.safety],
    ['Pharmacokinetics', doc.observations.pk],
    ['Efficacy', doc.observations.efficacy],
  ];
  for (const [k, v] of items) {
    w.label(k, 28);
    w.paragraph(v && v.trim().length > 0 ? v : 'Nothing further noted.');
  }
}

function actionsSection(w: Writer, doc: MinutesDocument): void {
  w.heading('5', 'Action items');
  if (doc.actionItems.length === 0) {
    w.paragraph('No action items.');
    return;
  }
  w.table({
    columns: ['#', 'Action', 'Owner', 'Due'],
    rows: doc.actionItems.map((a, i) => [String(i + 1), a.text, a.owner, /^\d{4}-\d{2}-\d{2}$/.test(a.due) ? formatDate(a.due) : a.due]),
  });
}

type EmbeddedFigure = { kind: 'png'; image: PDFImage } | { kind: 'pdf'; page: PDFEmbeddedPage } | null;

async function embedFigure(doc: PDFDocument, fig: MinutesFigure): Promise<EmbeddedFigure> {
  if (fig.png && fig.png.length > 0) return { kind: 'png', image: await doc.embedPng(fig.png) };
  if (fig.svg && fig.svg.trim().length > 0) {
    const pdf = await svgToPdfPage(fig.svg);
    if (pdf) {
      const [page] = await doc.embedPdf(pdf, [0]);
      if (page) return { kind: 'pdf', page };
    }
  }
  return null;
}

async function figuresSection(w: Writer, doc: MinutesDocument): Promise<void> {
  if (doc.figures.length === 0) return;
  w.heading(sectionNumbers(doc).figures, 'Figures reviewed by the committee', 260);
  for (const [i, fig] of doc.figures.entries()) {
    if (fig.table) {
      // A table is printed as text, paginated with its header repeated: never shrunk into a picture.
      w.ensure(60);
      w.y -= 14;
      w.text(`Figure ${i + 1}. ${fig.title}`, MARGIN_X, w.y, w.f.bold, 10, INK);
      w.y -= 10;
      w.table(fig.table, { caption: `${fig.caption ? `${fig.caption} ` : ''}(${fig.table.rows.length} row${fig.table.rows.length === 1 ? '' : 's'}, as captured)` });
      continue;
    }
    const embedded = await embedFigure(w.doc, fig);
    const natural = embedded === null ? { width: CONTENT_W, height: 60 } : embedded.kind === 'png' ? embedded.image.size() : embedded.page.size();
    const maxH = A4[1] - TOP - BOTTOM - 90;
    const scale = Math.min(CONTENT_W / natural.width, maxH / natural.height);
    const dw = natural.width * scale;
    const dh = natural.height * scale;
    const captionLines = wrapText(fig.caption, w.f.italic, 8.5, CONTENT_W);
    w.ensure(22 + dh + 10 + captionLines.length * 11.5);
    w.y -= 14;
    w.text(`Figure ${i + 1}. ${fig.title}`, MARGIN_X, w.y, w.f.bold, 10, INK);
    w.y -= 8;
    const x = MARGIN_X + (CONTENT_W - dw) / 2;
    if (embedded === null) {
      w.page.drawRectangle({ x: MARGIN_X, y: w.y - dh, width: CONTENT_W, height: dh, borderColor: HAIRLINE, borderWidth: 0.5 });
      w.text('Figure not available in a printable form; see the attached record.', MARGIN_X + 10, w.y - dh / 2, w.f.italic, 9, MUTED);
    } else if (embedded.kind === 'png') {
      w.page.drawImage(embedded.image, { x, y: w.y - dh, width: dw, height: dh });
    } else {
      w.page.drawPage(embedded.page, { x, y: w.y - dh, xScale: scale, yScale: scale });
    }
    w.page.drawRectangle({ x, y: w.y - dh, width: dw, height: dh, borderColor: HAIRLINE, borderWidth: 0.5 });
    w.y -= dh + 6;
    w.paragraph(fig.caption, { font: w.f.italic, size: 8.5, leading: 11.5, color: MUTED, after: 8 });
  }
}

function signatureBlock(w: Writer, s: MinutesSignatureManifestation, index: number): void {
  const rows: [string, string, PDFFont][] = [
    ['Printed name', s.printedName, w.f.bold],
    ['Role / title', s.role, w.f.regular],
    ['Meaning of signature', s.meaning, w.f.regular],
    ['Date and time signed', formatSignedAt(s.signedAt, s.timezone), w.f.regular],
  ];
  if (s.recordHash) rows.push(['Signed record hash', s.recordHash, w.f.mono]);
  const labelW = 122;
  const valueW = CONTENT_W - labelW - 24;
  const monoSize = 8;
  const wrapped = rows.map(([k, v, font]) => ({ k, font, lines: wrapText(v, font, font === w.f.mono ? monoSize : BODY, valueW) }));
  const h = 26 + wrapped.reduce((sum, r) => sum + r.lines.length * LEADING + 2, 0) + 8;
  w.ensure(h + 12);
  const top = w.y;
  w.page.drawRectangle({ x: MARGIN_X, y: top - 20, width: CONTENT_W, height: 20, color: BAND });
  w.page.drawRectangle({ x: MARGIN_X, y: top - h, width: CONTENT_W, height: h, borderColor: RULE, borderWidth: 0.6 });
  w.text(`Signature ${index + 1}`, MARGIN_X + 12, top - 14, w.f.bold, 9, ACCENT);
  w.text('Electronically signed', MARGIN_X + CONTENT_W - 12 - w.f.italic.widthOfTextAtSize('Electronically signed', 8.5), top - 14, w.f.italic, 8.5, MUTED);
  let y = top - 26;
  for (const r of wrapped) {
    w.text(r.k, MARGIN_X + 12, y - LEADING + 3, w.f.bold, 8.5, MUTED);
    r.lines.forEach((ln, i) => w.text(ln, MARGIN_X + 12 + labelW, y - (i + 1) * LEADING + 3, r.font, r.font === w.f.mono ? monoSize : BODY, INK));
    y -= r.lines.length * LEADING + 2;
  }
  w.y = top - h - 12;
}

function signaturesSection(w: Writer, doc: MinutesDocument): void {
  w.newPage();
  w.heading(sectionNumbers(doc).signatures, 'Signatures');
  w.paragraph(
    'Signature manifestations under 21 CFR 11.50: the printed name of each signer, the date and time the signature was executed (with time zone) and its meaning. ' +
      'Each signature was executed with the signer\'s user id and password and is bound to this version of the minutes.',
    { size: 9, color: MUTED, leading: 12.5, after: 12 },
  );
  if (doc.signatures.length === 0) {
    w.paragraph('No electronic signatures have been recorded for this version of the minutes.', { font: w.f.italic });
    return;
  }
  doc.signatures.forEach((s, i) => signatureBlock(w, s, i));
}

/** Header and footer on every page, drawn once the page count is known. */
function headersAndFooters(w: Writer, doc: MinutesDocument): void {
  const total = w.pages.length;
  const f = w.f;
  const hash16 = doc.snapshot.contentHash.slice(0, 16);
  const isDraft = doc.version.status.toLowerCase() === 'draft';
  const left = `${doc.studyId} \u2013 ${doc.committee ?? 'Dose Escalation Committee'} minutes`;
  const right = `Meeting ${doc.meeting.date} \u2013 Version ${doc.version.number} (${doc.version.status})`;
  w.pages.forEach((page, i) => {
    const [pw, ph] = [page.getWidth(), page.getHeight()];
    const draw = (s: string, x: number, y: number, font: PDFFont, size: number, color: RGB, align: 'left' | 'right' = 'left'): void => {
      const xx = align === 'right' ? x - measure(font, s, size) : x;
      w.fb.draw(page, s, { x: xx, y, font, size, color });
    };
    draw(left, MARGIN_X, ph - 44, f.regular, 8, MUTED);
    draw(right, pw - MARGIN_X, ph - 44, f.regular, 8, MUTED, 'right');
    page.drawLine({ start: { x: MARGIN_X, y: ph - 50 }, end: { x: pw - MARGIN_X, y: ph - 50 }, thickness: 0.5, color: HAIRLINE });
    page.drawLine({ start: { x: MARGIN_X, y: 52 }, end: { x: pw - MARGIN_X, y: 52 }, thickness: 0.5, color: HAIRLINE });
    draw(`Snapshot ${hash16} \u2013 Version ${doc.version.number}`, MARGIN_X, 40, f.regular, 8, MUTED);
    draw(`Page ${i + 1} of ${total}`, pw - MARGIN_X, 40, f.bold, 8, INK, 'right');
    if (isDraft) {
      // A draft is not a record to file: mark every page.
      const size = 96;
      const wText = f.bold.widthOfTextAtSize('DRAFT', size);
      const a = Math.atan2(ph, pw);
      page.drawText('DRAFT', {
        x: pw / 2 - (wText / 2) * Math.cos(a) + (size / 3) * Math.sin(a),
        y: ph / 2 - (wText / 2) * Math.sin(a) - (size / 3) * Math.cos(a),
        size,
        font: f.bold,
        color: rgb(0.85, 0.3, 0.2),
        opacity: 0.1,
        rotate: degrees((a * 180) / Math.PI),
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------

// MINUTES_RENDERER (the version of what renderMinutesPdf draws) lives in document.ts, which loads no PDF library.
export { MINUTES_RENDERER } from './document.js';

/** Render the minutes; the record JSON is attached as `minutes-record.json` (application/json). */

export async function renderMinutesPdf(doc: MinutesDocument, options: RenderOptions = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const createdAt = options.createdAt ?? new Date();
  // Every font embedded (PDF/A): DejaVu as subsets, not the standard 14 fonts.
  pdf.registerFontkit(fontkit);
  const fonts: Fonts = {
    regular: await pdf.embedFont(documentFontBytes('regular'), { subset: true }),
    bold: await pdf.embedFont(documentFontBytes('bold'), { subset: true }),
    italic: await pdf.embedFont(documentFontBytes('italic'), { subset: true }),
    mono: await pdf.embedFont(documentFontBytes('mono'), { subset: true }),
  };
  pdf.setLanguage('en');

  // Fallback fonts for what WinAnsi cannot encode, embedded (subset) before any drawing.
  const fb = new FallbackFonts(pdf);
  for (const f of Object.values(fonts)) fallbackOf.set(f, fb);
  await fb.prepare(stringsOf({ doc: { ...doc, recordJson: '' }, trust: options.trust ?? null }));
  const w = new Writer(pdf, fonts, fb);
  titlePage(w, doc);
  attendanceSection(w, doc);
  dataSection(w, doc);
  w.heading('3', 'Dose levels reviewed', 160);
  if (doc.doseLevels.length === 0) w.paragraph('No dose level was reviewed at this meeting.');
  doc.doseLevels.forEach((dl, i) => doseLevelSection(w, dl, i));
  contradictionsBlock(w, doc);
  if (doc.lookahead) {
    const n = doc.doseLevels.length + (doc.contradictions === undefined ? 1 : 2);
    w.subheading(`3.${n}  Look-ahead: decisions for the next patients`, 120);
    w.paragraph(doc.lookahead.intro, { after: 2 });
    w.table(doc.lookahead.table, { label: 'Look-ahead decision table (outcome paths of the next evaluable patients)' });
  }
  observationsSection(w, doc);
  actionsSection(w, doc);
  await figuresSection(w, doc);
  signaturesSection(w, doc);
  if (options.trust) trustBlock(w, options.trust);
  headersAndFooters(w, doc);

  await pdf.attach(new TextEncoder().encode(doc.recordJson), RECORD_ATTACHMENT_NAME, {
    mimeType: RECORD_ATTACHMENT_MIME,
    description: 'Machine-readable record of these minutes (21 CFR 11.10(b))',
    creationDate: createdAt,
    modificationDate: createdAt,
  });
  if (options.manifestJson !== undefined) {
    await pdf.attach(new TextEncoder().encode(options.manifestJson), MANIFEST_NAME, {
      mimeType: RECORD_ATTACHMENT_MIME,
      description: 'DoseDesk trust manifest: record hash, trust root, signing certificate, audit chain head',
      creationDate: createdAt,
      modificationDate: createdAt,
    });
  }
  const rec = recordIdentity(doc.recordJson);
  // The record is the data the pages present (AFRelationship Data, ISO 19005-3 Annex E); the manifest supplements it.
  await makePdfA3b(
    pdf,
    {
      title: `${doc.title} - ${doc.studyId} - ${doc.meeting.date} - version ${doc.version.number}`,
      author: doc.committee ?? 'Dose Escalation Committee',
      subject: `${doc.studyId}${doc.studyTitle ? ` (${doc.studyTitle})` : ''}: dose-escalation meeting minutes; snapshot SHA-256 ${doc.snapshot.contentHash}`,
      keywords: [doc.studyId, 'dose escalation', 'minutes', `snapshot:${doc.snapshot.contentHash}`].join('; '),
      creator: 'DoseDesk',
      producer: `DoseDesk (${MINUTES_RENDERER}, pdf-lib)`,
      createdAt,
      custom: { studyId: doc.studyId, snapshotHash: doc.snapshot.contentHash, meetingId: rec.meetingId, version: String(doc.version.number), recordHash: rec.recordHash },
    },
    { [RECORD_ATTACHMENT_NAME]: 'Data', [MANIFEST_NAME]: 'Supplement' },
  );
  return pdf.save({ useObjectStreams: false });
}

const MANIFEST_NAME = 'minutes-manifest.json';

/** Meeting number and record hash from the attached record (empty when it is not a meeting export). */
function recordIdentity(json: string): { meetingId: string; recordHash: string } {
  try {
    const r = JSON.parse(json) as { recordHash?: unknown; record?: { meetingId?: unknown } };
    return { meetingId: r.record?.meetingId === undefined ? '' : String(r.record.meetingId), recordHash: typeof r.recordHash === 'string' ? r.recordHash : '' };
  } catch {
    return { meetingId: '', recordHash: '' };
  }
}

/** Every string in a value (the texts the minutes may print). */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => stringsOf(x, out));
  else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) Object.values(v).forEach((x) => stringsOf(x, out));
  return out;
}

/** How to check the file, with the trust root's fingerprint (issue 11): printed after the signatures. */
function trustBlock(w: Writer, t: NonNullable<RenderOptions['trust']>): void {
  w.label('Verification of this file', 120);
  w.paragraph(
    'This PDF carries a digital signature by the exporting user with a certificate issued by the organisation trust root below. ' +
      'Check it with "dosedesk minutes verify FILE.pdf"; on another machine add "--trust ROOT.pem" (written by "dosedesk minutes export-trust"). ' +
      'The file is genuine only if the root\'s fingerprint matches the one your organisation published.',
    { size: 8.5, color: MUTED, leading: 11.5, after: 6 },
  );
  w.keyValues([
    ['Trust root', t.rootSubject],
    ['Trust root SHA-256', t.rootFingerprint, w.f.mono],
    ['Signing certificate SHA-256', t.signerFingerprint, w.f.mono],
    ['Audit trail anchored at', `entry ${t.auditHead.seq}, hash ${t.auditHead.hash}`, w.f.mono],
  ]);
}
