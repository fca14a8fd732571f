/**
 * The minutes of a meeting on the demo's second cut (resources/demo/cut2), on DL6 and DL7:
 * - DL6 was treated in both parts (cut2.truth.json: 6 escalation, 6 expansion, 2 of them still in
 *   the DLT window): the record and the minutes hold all 12, grouped by part (issue 12 item 5);
 * - the committee declares the MTD at DL6 and "Stay at this level" at DL7, above it — a contradiction
 *   (and a departure from the rule's STOP_MTD) that blocks locking until a rationale is given, and
 *   that the minutes print with the rationale;
 * - the exported, signed file is PDF/A-3b as far as qpdf, pdfinfo, pdffonts and pdf-lib can tell
 *   (veraPDF is not available here): document info, XMP with pdfaid part 3 / conformance B and the
 *   study and snapshot, an sRGB output intent, every font embedded, the record as an associated
 *   file, a trailer ID; pdfsig still validates the signature.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, decodePDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { useScryptParamsForTests } from '../../electron/core/users/crypto';
import { TABLE_FIGURE_MIME, type Attendee } from '../../shared/meeting';
import type { MeetingView } from '../../shared/api/meetings';
import { tmpDir } from '../helpers/snapshot';
import { addUser, bootstrapAdmin } from './meetings-helpers';

const CUT2 = path.resolve(__dirname, '../../resources/demo/cut2');

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const HAS_POPPLER = hasTool('pdftotext') && hasTool('pdfinfo') && hasTool('pdffonts');
const HAS_QPDF = (() => {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const HAS_PDFSIG = hasTool('pdfsig');

let dir: string;
let core: Core;
let draft: MeetingView;
let finalizeError: Error | null = null;
let badTableError: Error | null = null;
const AE_COLUMNS = ['Subject', 'Level', 'Part', 'Day', 'AE (PT)', 'Grade', 'Serious', 'Related', 'DLT'];
const AE_ROWS = Array.from({ length: 261 }, (_, i) => [`AE-SUBJ-${String(i + 1).padStart(3, '0')}`, `DL${(i % 7) + 1}`, i % 2 ? 'expansion' : 'escalation', String(i + 1), 'Nausea', String((i % 4) + 1), 'N', 'Y', 'N']);
let pdfPath: string;
let users: Record<'carol' | 'bob' | 'sue', { userId: number; password: string }>;
let sue: string;

beforeAll(async () => {
  useScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
  dir = tmpDir('dosedesk-minutes-pdfa-');
  core = createCore({ dbPath: path.join(dir, 'db.sqlite') });
  const admin = await bootstrapAdmin(core);
  users = {
    carol: await addUser(core, admin, 'carol', 'chair', 'Dr Carol Chen', 'Chair-password-1'),
    bob: await addUser(core, admin, 'bob', 'voting-member', 'Dr Robert Berg', 'Member-password-2'),
    sue: await addUser(core, admin, 'sue', 'secretary', 'Susan Secretary', 'Secretary-password-3'),
  };
  const imp = await core.call('snapshot.import', { path: CUT2, session: admin });
  if (!imp.ok || imp.snapshotId === null) throw new Error(`demo cut2 import failed: ${JSON.stringify(imp.errors)}`);
  sue = (await core.call('auth.login', { username: 'sue', password: users.sue.password })).session;
  const attendees: Attendee[] = [
    { userId: users.carol.userId, name: 'Dr Carol Chen', role: 'chair', voting: true, present: true, affiliation: '' },
    { userId: users.bob.userId, name: 'Dr Robert Berg', role: 'voting-member', voting: true, present: true, affiliation: '' },
  ];
  draft = await core.call('meetings.create', {
    session: sue,
    snapshotId: imp.snapshotId,
    levels: [6, 7],
    title: 'Safety Review Committee: DL6 and DL7',
    startAt: '2025-10-06T15:00+02:00',
    timeZone: 'Europe/Berlin',
    attendees,
  });
  const votes = [
    { userId: users.carol.userId, vote: 'for' as const, comment: '' },
    { userId: users.bob.userId, vote: 'for' as const, comment: '' },
  ];
  const levels = (rationale6: string, rationale7: string) => [
    { level: 6, decision: { decision: 'declare-mtd' as const, nextLevel: 6, nextDose: null, cohortSize: null, rationale: rationale6, conditions: '' }, votes },
    { level: 7, decision: { decision: 'stay' as const, nextLevel: 7, nextDose: null, cohortSize: 3, rationale: rationale7, conditions: '' }, votes },
  ];
  await core.call('meetings.update', { session: sue, meetingId: draft.meetingId, version: 1, changes: { levels: levels('', '') } });
  // An AE listing of 261 rows captured as a table (what a grid's "Capture for meeting" sends).
  const aeTable = { columns: AE_COLUMNS, rows: AE_ROWS };
  await core.call('meetings.addFigure', { session: sue, meetingId: draft.meetingId, version: 1, title: 'AE listing (all grades)', caption: 'As shown in the meeting.', mime: TABLE_FIGURE_MIME, dataBase64: Buffer.from(JSON.stringify(aeTable)).toString('base64') });
  try {
    await core.call('meetings.addFigure', { session: sue, meetingId: draft.meetingId, version: 1, title: 'bad', mime: TABLE_FIGURE_MIME, dataBase64: Buffer.from(JSON.stringify({ ...aeTable, style: 'tiny' })).toString('base64') });
  } catch (e) {
    badTableError = e as Error;
  }
  try {
    await core.call('meetings.finalize', { session: sue, meetingId: draft.meetingId, version: 1 });
  } catch (e) {
    finalizeError = e as Error;
  }
  draft = await core.call('meetings.update', {
    session: sue,
    meetingId: draft.meetingId,
    version: 1,
    changes: { levels: levels('DL6 is the MTD (2 of 6 with a DLT at DL7).', 'Three more patients at DL7 to characterise the exposure; the committee accepts dosing above the MTD for this backfill cohort only.') },
  });
  await core.call('meetings.finalize', { session: sue, meetingId: draft.meetingId, version: 1 });
  await core.call('meetings.sign', { meetingId: draft.meetingId, version: 1, userId: 'carol', password: users.carol.password, meaning: 'approved' });
  await core.call('meetings.sign', { meetingId: draft.meetingId, version: 1, userId: 'bob', password: users.bob.password, meaning: 'reviewed' });
  pdfPath = path.join(dir, 'minutes.pdf');
  await core.call('minutes.export', { session: sue, meetingId: draft.meetingId, password: users.sue.password, outPath: pdfPath });
}, 300_000);
afterAll(() => {
  core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  useScryptParamsForTests(null);
});

describe('a level\'s record covers everyone treated at the dose, by part (demo cut2, DL6)', () => {
  it('the record holds DL6\'s escalation and expansion parts: 6 + 6 treated, 2 still in the window (cut2.truth.json)', () => {
    const l6 = draft.record.content.levels.find((l) => l.level === 6)!;
    expect(l6.parts?.map((p) => [p.part, p.treated, p.subjects.length])).toEqual([
      ['escalation', 6, 6],
      ['expansion', 6, 6],
    ]);
    expect(l6.parts!.reduce((n, p) => n + p.pending, 0)).toBe(2);
    // the rule still reads the escalation part
    expect(l6.dltTable.part).toBe('escalation');
    // the same split the Cohorts view shows (one rule: the DLT table's parts)
    const ids = l6.parts!.flatMap((p) => p.subjects.map((s) => s.usubjid));
    expect(new Set(ids).size).toBe(12);
  });

  it.skipIf(!HAS_POPPLER)('the minutes print all 12 subjects under their part', () => {
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    const l6 = draft.record.content.levels.find((l) => l.level === 6)!;
    for (const p of l6.parts!) for (const s of p.subjects) expect(text).toContain(s.usubjid);
    const flat = text.replace(/\s+/g, ' ');
    // the table labels are printed in capitals
    expect(flat).toContain('ESCALATION: 6 TREATED, 6 EVALUABLE, 1 WITH A DLT, 0 INSIDE THE DLT WINDOW');
    expect(flat).toContain('EXPANSION: 6 TREATED, 4 EVALUABLE, 0 WITH A DLT, 2 INSIDE THE DLT WINDOW');
    expect(flat).toContain('12 treated at this dose (escalation 6, expansion 6)');
  });
});

describe('decisions checked against each other and against the rule', () => {
  it('locking without a rationale is refused, in clinicians\' words', () => {
    expect(finalizeError).not.toBeNull();
    const msg = finalizeError!.message;
    expect(msg).toContain('the decisions contradict each other — give a rationale: the MTD is declared at DL6, but DL7\'s decision “Stay at this level” doses the next patients at DL7, above it');
    expect(msg).toContain('a rationale is required'); // DL7 "stay" departs from STOP_MTD
  });

  it.skipIf(!HAS_POPPLER)('the minutes show each contradiction with its rationale', () => {
    const flat = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(flat).toContain('Departures and contradictions');
    expect(flat).toContain('the MTD is declared at DL6, but DL7\'s decision “Stay at this level” doses the next patients at DL7, above it');
    expect(flat).toContain('Three more patients at DL7 to characterise the exposure');
    expect(flat).toContain('the decision departs from the rule: the rule recommends “Stop: MTD identified” (agreeing decisions: “Declare the MTD” or “Declare the RP2D” or “Open the expansion”); the committee decided “Stay at this level” at DL7');
  });
});

describe('a long table captured as data', () => {
  it('a table with an unknown key is refused, naming it', () => {
    expect(badTableError?.message).toMatch(/not a table: .*style/);
  });

  it.skipIf(!HAS_POPPLER)('261 AE rows: every row printed, over several pages, the header on each', () => {
    const pages = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).split('\f');
    const all = pages.join('\n');
    for (const r of AE_ROWS) expect(all).toContain(r[0]!);
    const withRows = pages.filter((p) => /AE-SUBJ-\d{3}/.test(p));
    expect(withRows.length).toBeGreaterThanOrEqual(6);
    for (const p of withRows) expect(p).toMatch(/Subject\s+Level\s+Part/);
    expect(all.replace(/\s+/g, ' ')).toContain('(261 rows, as captured)');
  });
});

describe('PDF/A-3b structure of the signed minutes', () => {
  it.skipIf(!HAS_QPDF)('qpdf --check finds no error', () => {
    const out = execFileSync('qpdf', ['--check', pdfPath], { encoding: 'utf8' });
    expect(out).toContain('No syntax or stream encoding errors found');
  });

  it.skipIf(!HAS_POPPLER)('pdfinfo reads the document information and the XMP (pdfaid part 3, conformance B, study, snapshot)', () => {
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    const hash = draft.record.content.snapshot.contentHash;
    expect(info).toMatch(/Title:\s+Safety Review Committee: DL6 and DL7 - IBB0979/);
    expect(info).toMatch(new RegExp(`Subject:\\s+IBB0979.*snapshot SHA-256 ${hash}`));
    expect(info).toMatch(new RegExp(`Keywords:\\s+IBB0979; dose escalation; minutes; snapshot:${hash}`));
    expect(info).toMatch(/Producer:\s+DoseDesk \(dosedesk-minutes-render\/2/);
    expect(info).toMatch(/CreationDate:/);
    const meta = execFileSync('pdfinfo', ['-meta', pdfPath], { encoding: 'utf8' });
    expect(meta).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(meta).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(meta).toContain('<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Safety Review Committee: DL6 and DL7 - IBB0979');
    expect(meta).toContain(`<dosedesk:snapshotHash>${hash}</dosedesk:snapshotHash>`);
    expect(meta).toContain('<dosedesk:studyId>IBB0979</dosedesk:studyId>');
    expect(meta).toMatch(/<pdf:Producer>DoseDesk \(dosedesk-minutes-render\/2/);
    expect(meta).toMatch(/<xmp:CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/xmp:CreateDate>/);
  });

  it.skipIf(!HAS_POPPLER)('pdffonts: every font is embedded', () => {
    const lines = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(lines.length).toBeGreaterThan(0);
    // columns: name type encoding emb sub uni object ID — "emb" is the 4th from the end
    for (const l of lines) expect(l.trim().split(/\s+/).slice(-5)[0], l).toBe('yes');
  });

  it('catalog: XMP stream, sRGB output intent with an ICC profile, /AF naming the record (Data), trailer ID', async () => {
    const bytes = fs.readFileSync(pdfPath);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const meta = doc.catalog.lookup(PDFName.of('Metadata'), PDFStream);
    expect(meta.dict.get(PDFName.of('Subtype'))?.toString()).toBe('/XML');
    const intents = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))?.toString()).toBe('/GTS_PDFA1');
    const icc = intent.lookup(PDFName.of('DestOutputProfile'), PDFStream) as PDFRawStream;
    const profile = decodePDFRawStream(icc).decode();
    // ICC.1 header: size, 'mntr' display class, 'RGB ' data colour space, 'acsp' signature
    expect(Buffer.from(profile).readUInt32BE(0)).toBe(profile.length);
    expect(Buffer.from(profile.subarray(12, 24)).toString('latin1')).toBe('mntrRGB XYZ ');
    expect(Buffer.from(profile.subarray(36, 40)).toString('latin1')).toBe('acsp');
    const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
    const specs = Array.from({ length: af.size() }, (_, i) => af.lookup(i, PDFDict));
    const rel = Object.fromEntries(specs.map((s) => [s.lookup(PDFName.of('UF'))?.toString(), s.get(PDFName.of('AFRelationship'))?.toString()]));
    expect(Object.values(rel)).toContain('/Data');
    expect(specs).toHaveLength(2); // the record and the trust manifest
    const id = doc.context.trailerInfo.ID as PDFArray | undefined;
    expect(id?.size()).toBe(2);
  });

  it.skipIf(!HAS_PDFSIG)('pdfsig still validates the signature over the whole file', () => {
    let out = '';
    try {
      out = execFileSync('pdfsig', [pdfPath], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('Total document signed');
  });

  it('minutes.verify: intact (re-rendered pages compared)', async () => {
    const v = await core.call('minutes.verify', { path: pdfPath });
    expect(v.problems).toEqual([]);
    expect(v.status).toBe('intact');
    expect(v.pages?.method).toBe('re-rendered');
  });
});
