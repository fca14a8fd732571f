/**
 * Minutes PDF: render → two PDF digital signatures (the second an incremental update) → verify,
 * with poppler's pdfsig as the independent check (issue 5 "Minutes"; docs/CLINICAL_RULES.md#meetings; part11.md §4
 * for what the minutes contain, 21 CFR 11.50 for the signature manifestation).
 *
 * Rendered pages are written to test-results/minutes/ (pdftoppm -r 60) to be looked at.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument as IncDocument, StandardFonts as IncFonts } from '@cantoo/pdf-lib';
import {
  createSigningIdentity,
  renderMinutesPdf,
  signPdf,
  verifyMinutesPdf,
  pdfsigReport,
  parsePdfsigOutput,
  toWinAnsi,
  formatSignedAt,
  signatureFieldNames,
  type MinutesDocument,
} from '../../electron/core/minutes/index.js';

const OUT = path.resolve(__dirname, '../../test-results/minutes');

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const HAS_PDFSIG = hasTool('pdfsig');
const HAS_PDFTOTEXT = hasTool('pdftotext');
const HAS_PDFTOPPM = hasTool('pdftoppm');

// ---------------------------------------------------------------------------------------------
// A small PNG encoder (RFC 2083: signature, IHDR, IDAT = zlib of filtered scanlines, IEND).

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function encodePng(width: number, height: number, rgbAt: (x: number, y: number) => [number, number, number]): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgbAt(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return new Uint8Array(png);
}

/** A swimmer-like chart, 1600 × 800 px: one bar per subject, coloured by dose level. */
function swimmerPng(): Uint8Array {
  const W = 1600;
  const H = 800;
  const bars = [
    { len: 0.9, dl: 2 }, { len: 0.75, dl: 2 }, { len: 0.62, dl: 2 },
    { len: 0.55, dl: 3 }, { len: 0.48, dl: 3 }, { len: 0.4, dl: 3 }, { len: 0.33, dl: 3 }, { len: 0.2, dl: 3 },
  ];
  const colour: Record<number, [number, number, number]> = { 2: [46, 110, 170], 3: [214, 120, 40] };
  return encodePng(W, H, (x, y) => {
    const left = 160;
    const top = 60;
    const rowH = (H - 2 * top) / bars.length;
    if (x === left || x === left + 1) return [60, 60, 60]; // axis
    if (y >= H - top && y <= H - top + 1 && x >= left) return [60, 60, 60];
    if ((x - left) % 180 === 0 && x > left && y > top && y < H - top) return [225, 225, 225]; // grid
    const i = Math.floor((y - top) / rowH);
    const within = (y - top) % rowH;
    const bar = bars[i];
    if (bar && y > top && within > rowH * 0.25 && within < rowH * 0.75 && x > left + 2 && x < left + bar.len * (W - left - 60)) {
      return colour[bar.dl]!;
    }
    return [255, 255, 255];
  });
}

const SVG_FIGURE = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="260" viewBox="0 0 480 260">
  <rect x="0" y="0" width="480" height="260" fill="#ffffff"/>
  <line x1="60" y1="220" x2="460" y2="220" stroke="#333" stroke-width="1"/>
  <line x1="60" y1="20" x2="60" y2="220" stroke="#333" stroke-width="1"/>
  <rect x="90" y="160" width="60" height="60" fill="#2e6eaa"/>
  <rect x="200" y="120" width="60" height="100" fill="#2e6eaa"/>
  <rect x="310" y="60" width="60" height="160" fill="#d67828"/>
  <text x="120" y="240" font-size="12" text-anchor="middle" font-family="Helvetica">DL1</text>
  <text x="230" y="240" font-size="12" text-anchor="middle" font-family="Helvetica">DL2</text>
  <text x="340" y="240" font-size="12" text-anchor="middle" font-family="Helvetica">DL3</text>
  <text x="20" y="120" font-size="12" font-family="Helvetica" transform="rotate(-90 20 120)">Cmax (µg/L)</text>
</svg>`;

// ---------------------------------------------------------------------------------------------
// A realistic sample: two dose levels, the second with an 8-row DLT table (part11.md §4 table).

const SNAPSHOT_HASH = 'a3f1c9e27b4d8c0f5e6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0';

function sampleMinutes(): MinutesDocument {
  const dltColumns = ['Subject', 'First dose', 'DLT window end', 'Worst AE in window (CTCAE v5)', 'Attribution', 'DLT', 'Evaluable'];
  const dl2Rows = [
    ['DD-101-0004', '2025-01-06', '2025-01-27', 'Fatigue, grade 1', 'Possibly related', 'No', 'Yes'],
    ['DD-101-0005', '2025-01-08', '2025-01-29', 'Nausea, grade 2', 'Related', 'No', 'Yes'],
    ['DD-102-0006', '2025-01-13', '2025-02-03', 'None', '-', 'No', 'Yes'],
  ];
  const dl3Rows = [
    ['DD-101-0007', '2025-02-10', '2025-03-03', 'ALT increased, grade 3 (>= 5 x ULN for 9 days)', 'Related', 'Yes (hepatic, criterion 4)', 'Yes'],
    ['DD-101-0008', '2025-02-12', '2025-03-05', 'Neutrophil count decreased, grade 2', 'Related', 'No', 'Yes'],
    ['DD-102-0009', '2025-02-14', '2025-03-07', 'Infusion-related reaction, grade 2', 'Related', 'No', 'Yes'],
    ['DD-102-0010', '2025-02-17', '2025-03-10', 'Diarrhoea, grade 1', 'Unlikely related', 'No', 'Yes'],
    ['DD-101-0011', '2025-02-18', '2025-03-11', 'Platelet count decreased, grade 1', 'Possibly related', 'No', 'Yes'],
    ['DD-103-0012', '2025-02-19', '2025-03-12', 'Disease progression (withdrew day 9)', 'Not related', 'No', 'No - replaced'],
    ['DD-103-0013', '2025-02-24', '2025-03-17', 'Fatigue, grade 2', 'Possibly related', 'No', 'Yes'],
    ['DD-101-0014', '2025-02-26', '2025-03-19', 'None', '-', 'No', 'Yes (window ongoing)'],
  ];
  const signatures = [
    { printedName: 'Dr Anna Berg', role: 'Chair, DEC', meaning: 'Approved as Chair', signedAt: '2025-03-21T16:05:12+01:00', timezone: 'Europe/Berlin', recordHash: 'sha256:5b0c8d7e2a4f91e3c6b7a8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3' },
    { printedName: 'Dr Tomasz Nowak', role: 'Principal Investigator (voting)', meaning: 'Reviewed - voting member', signedAt: '2025-03-21T16:09:40+01:00', timezone: 'Europe/Berlin', recordHash: 'sha256:5b0c8d7e2a4f91e3c6b7a8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3' },
  ];
  const record = {
    schema: 'dosedesk.minutes-record/1',
    meetingId: 'DEC-2025-03',
    version: 2,
    snapshot: { contentHash: SNAPSHOT_HASH, dataCutoff: '2025-03-19' },
    decisions: [
      { level: 'DL2', decision: 'escalate' },
      { level: 'DL3', decision: 'expand', departsFromRule: true },
    ],
    signatures,
  };
  return {
    title: 'Dose Escalation Committee Meeting Minutes',
    studyId: 'DD-101',
    studyTitle: 'A phase 1, open-label, first-in-human dose-escalation study of DD-4417 in adults with advanced solid tumours',
    committee: 'Dose Escalation Committee',
    meetingNumber: 3,
    meeting: { date: '2025-03-21', time: '14:00-15:10', timezone: 'Europe/Berlin (CET, UTC+01:00)', location: 'Video conference (Teams); chair in Berlin' },
    version: { number: 2, status: 'final', amends: 1, reason: 'Vote of Dr Okafor corrected from "abstain" to "for" (secretary transcription error).' },
    snapshot: { label: 'EDC transfer 2025-03-19 (cut 2)', contentHash: SNAPSHOT_HASH, dataCutoff: '2025-03-19' },
    attendees: [
      { name: 'Dr Anna Berg', role: 'Chair; sponsor medical monitor', voting: true, present: true },
      { name: 'Dr Tomasz Nowak', role: 'Principal investigator, site 101', voting: true, present: true },
      { name: 'Dr Chidi Okafor', role: 'Principal investigator, site 102', voting: true, present: true },
      { name: 'Dr Lucia Romero', role: 'Principal investigator, site 103', voting: true, present: false },
      { name: 'Dr Mei Chen', role: 'Clinical pharmacologist', voting: false, present: true },
      { name: 'Jonas Weber', role: 'Biostatistician', voting: false, present: true },
      { name: 'Sarah Klein', role: 'Secretary (minute taker)', voting: false, present: true },
    ],
    quorum: { required: 'Chair and at least two principal investigators (charter v2.0, section 5.3)', present: 3, met: true },
    conflicts: [],
    doseLevels: [
      {
        level: 'DL2',
        dose: '1.0',
        unit: 'mg/kg',
        dltTable: { columns: dltColumns, rows: dl2Rows },
        summary: '3 treated, 3 evaluable, 0 DLT in the 21-day DLT window.',
        recommendation: { rule: '3+3 (with de-escalation), per protocol section 6.2', action: 'Escalate to DL3 (2.0 mg/kg)', explanation: '0 DLT in 3 evaluable subjects.' },
        context: [
          { rule: 'BOIN (target 0.30)', action: 'Escalate (0/3 <= lambda_e = 0.236)' },
          { rule: 'mTPI-2 (target 0.30)', action: 'Escalate' },
        ],
        decision: { decision: 'escalate', nextDose: 'DL3, 2.0 mg/kg', cohortSize: 3, rationale: '', departsFromRule: false },
        votes: [
          { name: 'Dr Anna Berg', vote: 'for' },
          { name: 'Dr Tomasz Nowak', vote: 'for' },
          { name: 'Dr Chidi Okafor', vote: 'for' },
        ],
      },
      {
        level: 'DL3',
        dose: '2.0',
        unit: 'mg/kg',
        dltTable: { columns: dltColumns, rows: dl3Rows },
        summary: '8 treated, 7 evaluable (DD-103-0012 replaced), 1 DLT (grade 3 ALT increased). DD-101-0014 is still within the DLT window.',
        recommendation: { rule: '3+3 (with de-escalation), per protocol section 6.2', action: 'Declare DL3 tolerated; escalate to DL4 (3.0 mg/kg)', explanation: '1 DLT in 6 evaluable subjects (<= 1/6).' },
        context: [
          { rule: 'BOIN (target 0.30)', action: 'Stay (1/7 = 0.14; lambda_e 0.236 < p < lambda_d 0.359 not met; escalate)' },
          { rule: 'mTPI-2 (target 0.30)', action: 'Escalate' },
        ],
        decision: {
          decision: 'expand-cohort',
          nextDose: 'DL3, 2.0 mg/kg',
          cohortSize: 3,
          rationale:
            'Hepatic signal: ALT >= 3 x ULN in 2 of 8 subjects, one a DLT; PK shows Cmax 41 µg/L and AUC 2.1 x DL2 (greater than dose-proportional, λz-based t1/2 of 38 h). The committee prefers 3 further subjects at DL3 with weekly liver tests before escalating.',
          departsFromRule: true,
          conditions: 'Sentinel dosing (one subject, 48 h) for the additional cohort; weekly ALT/AST/bilirubin.',
        },
        votes: [
          { name: 'Dr Anna Berg', vote: 'for' },
          { name: 'Dr Tomasz Nowak', vote: 'for' },
          { name: 'Dr Chidi Okafor', vote: 'for' },
        ],
      },
    ],
    observations: {
      safety: 'No SAE and no death since the last meeting. One later-cycle grade 2 rash (DD-101-0005, cycle 3) resolved with topical steroids. Laboratory trends: mean ALT rises at DL3 from day 8; no bilirubin elevation (Hy\'s law not met).',
      pk: 'Exposure increases slightly more than dose-proportionally from DL1 to DL3 (power model slope 1.18, 90% CI 1.02-1.34). Terminal half-life 31-38 h (λz from >= 3 points, adjusted R² >= 0.9). Accumulation ratio at steady state about 1.2. Margin to the NOAEL exposure −62% at DL3.',
      efficacy: 'One confirmed partial response at DL3 (DD-101-0008, −34% sum of diameters at week 8). All other evaluable subjects: stable disease.',
    },
    actionItems: [
      { text: 'Circulate the decision to sites 101-103, pharmacy and IRT before the next dosing.', owner: 'Sarah Klein', due: '2025-03-22' },
      { text: 'Request hepatic panel history for DD-101-0007 and DD-101-0008 (screening to day 21).', owner: 'Dr Tomasz Nowak', due: '2025-03-28' },
      { text: 'Update the PK exposure-margin table with DL3 data for the next meeting.', owner: 'Dr Mei Chen', due: '2025-04-04' },
    ],
    figures: [
      { title: 'Swimmer plot: time on treatment by subject', png: swimmerPng(), caption: 'Bars: time on treatment to the data cut-off (2025-03-19), coloured by dose level (blue DL2, orange DL3). As shown to the committee.' },
      { title: 'Cmax by dose level (vector)', svg: SVG_FIGURE, caption: 'Geometric mean Cmax by dose level from the NCA of the cut-2 snapshot.' },
    ],
    signatures,
    recordJson: JSON.stringify(record, null, 2),
  };
}

// ---------------------------------------------------------------------------------------------

const SIGNERS = [
  { commonName: 'Dr Anna Berg', password: 'chair-pass-1', reason: 'Approved as Chair', fieldName: 'Signature-1-berg', signingTime: new Date('2025-03-21T15:05:12Z') },
  { commonName: 'Dr Tomasz Nowak', password: 'pi-pass-2', reason: 'Reviewed - voting member', fieldName: 'Signature-2-nowak', signingTime: new Date('2025-03-21T15:09:40Z') },
];

let doc: MinutesDocument;
let unsigned: Uint8Array;
let once: Uint8Array;
let signed: Uint8Array;
const files = {
  unsigned: path.join(OUT, 'minutes-unsigned.pdf'),
  signed: path.join(OUT, 'minutes-signed.pdf'),
  tampered: path.join(OUT, 'minutes-tampered.pdf'),
  appendedByte: path.join(OUT, 'minutes-appended-byte.pdf'),
  appendedEdit: path.join(OUT, 'minutes-appended-edit.pdf'),
};

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  doc = sampleMinutes();
  unsigned = await renderMinutesPdf(doc, { createdAt: new Date('2025-03-21T15:20:00Z') });
  writeFileSync(files.unsigned, unsigned);
  const identities = SIGNERS.map((s) => createSigningIdentity({ commonName: s.commonName, organization: 'DoseDesk test sponsor', password: s.password }));
  once = await signPdf(unsigned, { p12: identities[0]!.p12, passphrase: SIGNERS[0]!.password, name: SIGNERS[0]!.commonName, reason: SIGNERS[0]!.reason, location: 'Berlin', fieldName: SIGNERS[0]!.fieldName, signingTime: SIGNERS[0]!.signingTime });
  signed = await signPdf(once, { p12: identities[1]!.p12, passphrase: SIGNERS[1]!.password, name: SIGNERS[1]!.commonName, reason: SIGNERS[1]!.reason, location: 'Krakow', fieldName: SIGNERS[1]!.fieldName, signingTime: SIGNERS[1]!.signingTime });
  writeFileSync(files.signed, signed);
  if (HAS_PDFTOPPM) execFileSync('pdftoppm', ['-r', '60', '-png', files.signed, path.join(OUT, 'page')]);
}, 120_000);

describe('minutes text (WinAnsi for the standard fonts)', () => {
  it('maps ≥ ≤ − λ and keeps µ and ×, so clinical symbols are never dropped', () => {
    expect(toWinAnsi('ALT ≥ 3 × ULN, ≤ 1/6, −34%')).toBe('ALT >= 3 × ULN, <= 1/6, -34%');
    expect(toWinAnsi('λz-based t½, Cmax 41 µg/L (μ)')).toBe('lambda z-based t½, Cmax 41 µg/L (µ)');
    expect(toWinAnsi('Zoë Łukasz — “quoted”')).toBe('Zoë ?ukasz — “quoted”'.replace('?', 'L'));
  });
  it('prints a signature time with its offset and zone as executed (21 CFR 11.50(a)(2))', () => {
    expect(formatSignedAt('2025-03-21T16:05:12+01:00', 'Europe/Berlin')).toBe('21 March 2025, 16:05:12 (UTC+01:00, Europe/Berlin)');
    expect(formatSignedAt('2025-03-21T15:05:12Z', 'UTC')).toBe('21 March 2025, 15:05:12 (UTC, UTC)');
  });
});

describe('minutes PDF: rendered content', () => {
  it.skipIf(!HAS_PDFTOTEXT)('holds what part11.md §4 lists: meeting, attendees, quorum, snapshot hash, DLT tables, decision, votes, actions, 11.50 manifestations, page numbers', () => {
    const text = execFileSync('pdftotext', ['-layout', files.signed, '-']).toString('utf8');
    const pages = text.split('\f').filter((p) => p.trim().length > 0);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(p).toContain(`Snapshot ${SNAPSHOT_HASH.slice(0, 16)} – Version 2`);
    });
    const flat = text.replace(/\s+/g, ' ');
    for (const s of [
      'Dose Escalation Committee Meeting Minutes',
      '21 March 2025',
      SNAPSHOT_HASH,
      'Dr Lucia Romero',
      'Apologies',
      'The meeting was quorate.',
      'None declared.',
      'DD-101-0014', // last row of the 8-row DLT table
      'ALT increased', // the cell wraps before "grade 3" in DejaVu Sans (wider than Helvetica)
      '(>= 5 x', // ≥ mapped to >= (a wrapped cell line)
      'Expand the cohort',
      'Yes – rationale recorded below',
      'lambda z-based', // λz spelled out
      'Cmax 41 µg/L',
      '-62%', // − mapped to -
      'Circulate the decision',
      'Figure 1. Swimmer plot',
      'Figure 2. Cmax by dose level',
      'Approved as Chair',
      '21 March 2025, 16:09:40 (UTC+01:00, Europe/Berlin)',
      'Reason for amendment',
    ]) {
      expect(flat, s).toContain(s);
    }
  });

  it('writes the rendered pages as PNG for a human look', () => {
    if (!HAS_PDFTOPPM) return;
    const pngs = readdirSync(OUT).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(5);
  });

  it('attaches the record JSON to the unsigned file already', async () => {
    const v = await verifyMinutesPdf(unsigned);
    expect(v.recordAttachmentFound).toBe(true);
    expect(v.record).toEqual(JSON.parse(doc.recordJson));
    expect(v.signatures).toHaveLength(0);
    expect(v.intact).toBe(false);
    expect(v.problems).toContain('the file carries no PDF digital signature');
  });
});

describe('minutes PDF: sparse and long documents', () => {
  it.skipIf(!HAS_PDFTOTEXT)('renders a draft with no figures, votes, actions or signatures, and a 40-row table over pages', async () => {
    const base = sampleMinutes();
    const longRows = Array.from({ length: 40 }, (_, i) => [`DD-201-${String(i + 1).padStart(4, '0')}`, '2025-04-01', '2025-04-22', i % 7 === 0 ? 'Rash maculo-papular, grade 2 — 张' : 'None', '-', 'No', 'Yes']);
    const draft: MinutesDocument = {
      ...base,
      version: { number: 1, status: 'draft' },
      doseLevels: [{ ...base.doseLevels[0]!, dltTable: { columns: base.doseLevels[0]!.dltTable.columns, rows: longRows }, votes: [] }],
      actionItems: [],
      figures: [],
      signatures: [],
      conflicts: [{ name: 'Dr Chidi Okafor', declaration: 'Advisory board, competitor compound (2024); does not vote on DL3.' }],
      quorum: { required: 'Chair and at least two principal investigators', present: 1, met: false },
    };
    const bytes = await renderMinutesPdf(draft);
    const file = path.join(OUT, 'minutes-draft-long.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    const pages = text.split('\f').filter((p) => p.trim().length > 0);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('DD-201-0040'); // last row reached
    expect(text.match(/\(continued\)/g)?.length ?? 0).toBeGreaterThanOrEqual(1); // header repeated on the next page
    expect(flat).toContain('6 Signatures'); // no figures section: signatures are section 6
    expect(flat).toContain('No electronic signatures have been recorded for this version');
    expect(flat).toContain('The meeting was NOT quorate');
    expect(flat).toContain('Advisory board, competitor compound');
    expect(flat).toContain('No action items.');
    expect(flat).toMatch(/— ?张/); // a CJK character is drawn with an embedded fallback font (fonts.ts), not "?" as before issue 11
    expect(pages[pages.length - 1]).toContain(`Page ${pages.length} of ${pages.length}`);
  });
});

describe('minutes PDF: two signatures, the second an incremental update', () => {
  it('keeps the first revision byte for byte and names both fields', async () => {
    expect(Buffer.from(signed.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
    expect(await signatureFieldNames(signed)).toEqual(['Signature-1-berg', 'Signature-2-nowak']);
  });

  it.skipIf(!HAS_PDFSIG)('pdfsig: both signatures valid, the last one over the total document', async () => {
    const r = await pdfsigReport(files.signed);
    expect(r.available).toBe(true);
    expect(r.signatures).toHaveLength(2);
    expect(r.signatures.map((s) => s.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(r.signatures.map((s) => s.fieldName)).toEqual(['Signature-1-berg', 'Signature-2-nowak']);
    expect(r.signatures.map((s) => s.commonName)).toEqual(['Dr Anna Berg', 'Dr Tomasz Nowak']);
    expect(r.signatures[0]!.totalDocumentSigned).toBe(false); // covers revision 1 only
    expect(r.signatures[1]!.totalDocumentSigned).toBe(true);
    expect(r.output).toContain('Total document signed');
    expect(r.signatures.every((s) => s.signatureType === 'adbe.pkcs7.detached')).toBe(true);
  });

  it('verifyMinutesPdf agrees and returns the embedded record', async () => {
    const v = await verifyMinutesPdf(signed);
    expect(v.problems).toEqual([]);
    expect(v.intact).toBe(true);
    expect(v.lastCoversWholeFile).toBe(true);
    expect(v.signatures.map((s) => [s.name, s.reason, s.fieldName, s.digestValid, s.signatureValid])).toEqual([
      ['Dr Anna Berg', 'Approved as Chair', 'Signature-1-berg', true, true],
      ['Dr Tomasz Nowak', 'Reviewed - voting member', 'Signature-2-nowak', true, true],
    ]);
    expect(v.signatures.map((s) => s.coversWholeFile)).toEqual([false, true]);
    expect(v.signatures[0]!.signedAt).toBe('2025-03-21T15:05:12.000Z');
    expect(v.signatures[1]!.certificateSubject).toContain('CN=Dr Tomasz Nowak');
    expect(v.signatures[1]!.byteRange[2] + v.signatures[1]!.byteRange[3]).toBe(signed.length);
    expect(v.record).toEqual(JSON.parse(doc.recordJson));
  });
});

describe('minutes PDF: tampering is detected', () => {
  it('one changed byte inside a signed range: pdfsig "Digest Mismatch.", verify names the signatures', async () => {
    const bad = Buffer.from(signed);
    // The /Producer string of the info dictionary lies in revision 1, signed by both signatures.
    const producer = '/Producer <FEFF0044006F00730065004400650073006B'; // "DoseDesk…" in UTF-16BE
    const at = bad.indexOf(producer);
    expect(at).toBeGreaterThan(0);
    const v0 = await verifyMinutesPdf(signed);
    expect(at).toBeLessThan(v0.signatures[0]!.byteRange[1]);
    const last = at + producer.length - 1; // the "B" of 006B: "k" → "o"
    bad[last] = 'F'.charCodeAt(0);
    writeFileSync(files.tampered, bad);

    const v = await verifyMinutesPdf(bad);
    expect(v.intact).toBe(false);
    expect(v.signatures.map((s) => s.digestValid)).toEqual([false, false]);
    expect(v.problems).toContain('signature 1 (Dr Anna Berg): the signed bytes changed (digest mismatch)');
    expect(v.problems).toContain('signature 2 (Dr Tomasz Nowak): the signed bytes changed (digest mismatch)');

    if (HAS_PDFSIG) {
      const r = await pdfsigReport(files.tampered);
      expect(r.signatures.map((s) => s.validation)).toEqual(['Digest Mismatch.', 'Digest Mismatch.']);
    }
  });

  it('a changed byte only in the second revision breaks only the second signature', async () => {
    const bad = Buffer.from(signed);
    const at = bad.indexOf('(Krakow)');
    expect(at).toBeGreaterThan(once.length);
    bad[at + 1] = 'C'.charCodeAt(0);
    const v = await verifyMinutesPdf(bad);
    expect(v.signatures.map((s) => s.digestValid)).toEqual([true, false]);
    expect(v.problems).toEqual(['signature 2 (Dr Tomasz Nowak): the signed bytes changed (digest mismatch)']);
  });

  it('one unsigned byte appended after the last signature: verify reports it', async () => {
    const bad = Buffer.concat([Buffer.from(signed), Buffer.from('\n')]);
    writeFileSync(files.appendedByte, bad);
    const v = await verifyMinutesPdf(bad);
    expect(v.intact).toBe(false);
    expect(v.lastCoversWholeFile).toBe(false);
    expect(v.signatures.every((s) => s.digestValid)).toBe(true);
    expect(v.problems).toEqual([
      'bytes were appended after the last signature (1 unsigned bytes at the end of the file; signature 2 does not cover the whole document)',
    ]);
  });

  it('an unsigned incremental edit: pdfsig still says "Signature is Valid." but "Not total document signed"; verify says not intact', async () => {
    const edit = await IncDocument.load(signed, { forIncrementalUpdate: true, updateMetadata: false });
    const font = await edit.embedFont(IncFonts.HelveticaBold);
    edit.getPage(0).drawText('DECISION REVERSED', { x: 100, y: 400, size: 30, font });
    const bad = await edit.commit({ useObjectStreams: false });
    expect(Buffer.from(bad.subarray(0, signed.length)).equals(Buffer.from(signed))).toBe(true);
    writeFileSync(files.appendedEdit, bad);

    const v = await verifyMinutesPdf(bad);
    expect(v.intact).toBe(false);
    expect(v.lastCoversWholeFile).toBe(false);
    expect(v.signatures.every((s) => s.digestValid && s.signatureValid)).toBe(true);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatch(/^bytes were appended after the last signature \(\d+ unsigned bytes/);

    if (HAS_PDFSIG) {
      const r = await pdfsigReport(files.appendedEdit);
      expect(r.signatures.map((s) => s.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      expect(r.signatures.map((s) => s.totalDocumentSigned)).toEqual([false, false]);
      expect(r.output).toContain('Not total document signed');
    }
  });
});

describe('minutes PDF: a third signer (incremental over incremental)', () => {
  it('keeps all earlier signatures valid and the new one over the total document', async () => {
    const id = createSigningIdentity({ commonName: 'Dr Chidi Okafor', password: 'pi-pass-3' });
    const third = await signPdf(signed, { p12: id.p12, passphrase: 'pi-pass-3', name: 'Dr Chidi Okafor', reason: 'Reviewed - voting member', fieldName: 'Signature-3-okafor' });
    expect(Buffer.from(third.subarray(0, signed.length)).equals(Buffer.from(signed))).toBe(true);
    const v = await verifyMinutesPdf(third);
    expect(v.problems).toEqual([]);
    expect(v.signatures.map((s) => [s.fieldName, s.digestValid, s.coversWholeFile])).toEqual([
      ['Signature-1-berg', true, false],
      ['Signature-2-nowak', true, false],
      ['Signature-3-okafor', true, true],
    ]);
    if (HAS_PDFSIG) {
      const file = path.join(OUT, 'minutes-three-signatures.pdf');
      writeFileSync(file, third);
      const r = await pdfsigReport(file);
      expect(r.signatures.map((s) => s.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.', 'Signature is Valid.']);
      expect(r.signatures.map((s) => s.totalDocumentSigned)).toEqual([false, false, true]);
    }
  });
});

describe('minutes signing: refusals', () => {
  it('rejects a wrong PKCS#12 passphrase and a duplicate field name', async () => {
    const id = createSigningIdentity({ commonName: 'Sarah Klein', password: 'right' });
    await expect(signPdf(signed, { p12: id.p12, passphrase: 'wrong', name: 'Sarah Klein', reason: 'Authored', fieldName: 'Signature-3-klein' })).rejects.toThrow();
    await expect(signPdf(signed, { p12: id.p12, passphrase: 'right', name: 'Sarah Klein', reason: 'Authored', fieldName: 'Signature-1-berg' })).rejects.toThrow(/unique/);
  });
});

describe('pdfsig output parsing', () => {
  it('reads validation, field, and total-document lines (poppler 24 format)', () => {
    const sample = [
      'Digital Signature Info of: x.pdf',
      'Signature #1:',
      '  - Signature Field Name: Signature-1-berg',
      '  - Signer Certificate Common Name: Dr Anna Berg',
      '  - Signing Time: Mar 21 2025 16:05:12',
      '  - Signature Type: adbe.pkcs7.detached',
      '  - Signed Ranges: [0 - 100], [200 - 300]',
      '  - Not total document signed',
      '  - Signature Validation: Digest Mismatch.',
      'Signature #2:',
      '  - Signature Field Name: Signature-2-nowak',
      '  - Total document signed',
      '  - Signature Validation: Signature is Valid.',
      '  - Certificate Validation: Certificate issuer is unknown.',
    ].join('\n');
    const s = parsePdfsigOutput(sample);
    expect(s.map((x) => [x.index, x.fieldName, x.totalDocumentSigned, x.signatureValid])).toEqual([
      [1, 'Signature-1-berg', false, false],
      [2, 'Signature-2-nowak', true, true],
    ]);
    expect(s[1]!.certificateValidation).toBe('Certificate issuer is unknown.');
  });
});
