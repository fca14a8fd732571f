/**
 * Issue 13 "one vocabulary" and "strict schemas for everything signed", issue 12 item 5 "tables
 * paginated at a readable size":
 * - every decision kind, role and signature meaning reads in the minutes PDF exactly as the screen
 *   shows it (the renderer's label module re-exports the shared words; the PDF prints them);
 * - the filed record, its decisions and the signature payload are strict: an unknown key is an
 *   error naming its path; the legacy record of test/fixtures/minutes still parses;
 * - a 261-row table flows over several pages at 9 pt with its header row on each, every row present.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRawStream, PDFStream, decodePDFRawStream, PDFArray } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import * as screen from '../../renderer/src/components/meeting/labels';
import { COMMITTEE_DECISIONS, DECISION_LABELS, MEANINGS, MEANING_LABELS, ROLES, ROLE_LABELS, RecordVersion, SignaturePayloadSchema, type MeetingContent } from '../../shared/meeting';
import { MeetingExport } from '../../shared/api/meetings';
import { minutesDocument } from '../../electron/core/meetings/minutes';
import { decisionLabel, renderMinutesPdf } from '../../electron/core/minutes/render';
import { tmpDir } from '../helpers/snapshot';

const HAS_PDFTOTEXT = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
})();

const HASH = 'ab'.repeat(32);

/** A meeting export by hand: one reviewed level per decision kind, one attendee per role, one signature per meaning. */
function handExport(): MeetingExport {
  const levels: MeetingContent['levels'] = COMMITTEE_DECISIONS.map((decision, i) => ({
    level: i + 1,
    dose: i + 1,
    doseUnit: 'mg/kg',
    dltTable: { level: i + 1, dose: i + 1, part: 'escalation', treated: 3, evaluable: 3, withDlt: 0, pending: 0, subjects: [] },
    recommendation: null,
    whenComplete: null,
    context: { boin: null, mtpi2: null },
    history: '',
    decision: { decision, nextLevel: i + 1, nextDose: null, cohortSize: 3, rationale: `rationale ${i + 1}`, conditions: '' },
    votes: [],
  }));
  const content: MeetingContent = {
    title: 'Vocabulary check',
    committee: 'SRC',
    meetingNumber: '1',
    studyId: 'STUDY-1',
    studyTitle: 'A study',
    startAt: '2025-01-01T10:00+01:00',
    endAt: null,
    timeZone: 'Europe/Berlin',
    format: 'video',
    snapshot: { snapshotId: 1, contentHash: HASH, label: 'cut', dataCutoff: '2024-12-31' },
    design: null,
    attendees: ROLES.map((role, i) => ({ userId: i + 1, name: `Person ${i + 1}`, role, voting: true, present: true, affiliation: '' })),
    quorum: { minVotingPresent: 1, chairRequired: false },
    conflicts: [],
    levels,
    observations: { safety: '', pk: '', efficacy: '', other: '' },
    actionItems: [],
    figures: [],
  };
  return {
    format: 'dosedesk.meeting-export/1',
    record: { schema: 'dosedesk.meeting/1', meetingId: 1, version: 1, amends: null, amendmentReason: null, content, lockedAt: null, lockedBy: null, requiredSigners: [] },
    recordHash: HASH,
    status: 'signed',
    signatures: MEANINGS.map((meaning, i) => ({
      signatureId: i + 1,
      meetingId: 1,
      version: 1,
      recordHash: HASH,
      userId: i + 1,
      username: `u${i + 1}`,
      printedName: `Person ${i + 1}`,
      title: '',
      role: ROLES[i + 1]!,
      meaning,
      signedAt: '2025-01-01T11:00:00.000+01:00',
      timeZone: 'Europe/Berlin',
      keyId: i + 1,
      algorithm: 'Ed25519' as const,
      signature: 'AA==',
    })),
    publicKeys: [],
    figures: [],
    audit: [],
    exportedAt: '2025-01-01T12:00:00Z',
    exportedBy: 'u1',
  };
}

const text = (pdf: Uint8Array, name: string): string => {
  const f = path.join(tmpDir('dosedesk-vocab-'), `${name}.pdf`);
  fs.writeFileSync(f, pdf);
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
};

describe('one vocabulary: the screen and the PDF', () => {
  it('the renderer\'s label module is the shared vocabulary, not a copy', () => {
    expect(screen.DECISION_LABELS).toBe(DECISION_LABELS);
    expect(screen.ROLE_LABELS).toBe(ROLE_LABELS);
    expect(screen.MEANING_LABELS).toBe(MEANING_LABELS);
    for (const k of COMMITTEE_DECISIONS) expect(decisionLabel(k)).toBe(DECISION_LABELS[k]);
  });

  it('one key set: the minutes document carries the record\'s decision keys untranslated', () => {
    const doc = minutesDocument(handExport());
    expect(doc.doseLevels.map((l) => l.decision.decision)).toEqual([...COMMITTEE_DECISIONS]);
  });

  it.skipIf(!HAS_PDFTOTEXT)('every decision, role and signature meaning is printed in the PDF in the screen\'s words', async () => {
    const flat = text(await renderMinutesPdf(minutesDocument(handExport()), { createdAt: new Date('2025-01-01T12:00:00Z') }), 'vocab').replace(/\s+/g, ' ');
    for (const k of COMMITTEE_DECISIONS) expect(flat, k).toContain(`Decision ${screen.DECISION_LABELS[k]}`);
    for (const r of ROLES) expect(flat, r).toContain(screen.ROLE_LABELS[r]);
    for (const m of MEANINGS) expect(flat, m).toContain(`${screen.MEANING_LABELS[m]} as `);
  });
});

describe('strict schemas for what is signed or filed', () => {
  const legacy = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/minutes/legacy-2026-12-03-minutes.json'), 'utf8')) as Record<string, unknown>;

  it('the legacy record (exported before the strict schemas) still parses', () => {
    const r = MeetingExport.safeParse(legacy);
    expect(r.success, JSON.stringify(r.error?.issues.slice(0, 3))).toBe(true);
  });

  it('an extra key in a decision is an error naming its path', () => {
    const bad = structuredClone(legacy) as { record: { content: { levels: { decision: Record<string, unknown> }[] } } };
    bad.record.content.levels[0]!.decision.overrideRule = true;
    const r = MeetingExport.safeParse(bad);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.code).toBe('unrecognized_keys');
    expect(issue.path).toEqual(['record', 'content', 'levels', 0, 'decision']);
    expect(issue.message).toContain('overrideRule');
  });

  it('an extra key anywhere in the record version, the DLT subjects or the export is refused', () => {
    const rec = structuredClone(legacy.record) as Record<string, unknown> & { content: Record<string, unknown> & { levels: { dltTable: { subjects: Record<string, unknown>[] } }[] } };
    expect(RecordVersion.safeParse(rec).success).toBe(true);
    expect(RecordVersion.safeParse({ ...rec, note: 'x' }).error?.issues[0]?.path).toEqual([]);
    const sub = structuredClone(rec);
    sub.content.levels[0]!.dltTable.subjects[0]!.grade = 5;
    expect(RecordVersion.safeParse(sub).error?.issues[0]?.path).toEqual(['content', 'levels', 0, 'dltTable', 'subjects', 0]);
    expect(MeetingExport.safeParse({ ...legacy, extra: 1 }).success).toBe(false);
  });

  it('the signature payload is strict', () => {
    const p = { purpose: 'dosedesk.meeting.signature/1', meetingId: 1, version: 1, recordHash: HASH, userId: 1, username: 'u', printedName: 'U', meaning: 'approved', signedAt: '2025-01-01T11:00:00+01:00', timeZone: 'UTC' };
    expect(SignaturePayloadSchema.safeParse(p).success).toBe(true);
    const r = SignaturePayloadSchema.safeParse({ ...p, role: 'chair' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('role');
  });
});

describe('long tables are paginated at a readable size, never shrunk', () => {
  it.skipIf(!HAS_PDFTOTEXT)('a 261-row table: several pages, the header on each, every row, no text under 8 pt', async () => {
    const doc = minutesDocument(handExport());
    const rows = Array.from({ length: 261 }, (_, i) => [`SUBJ-${String(i + 1).padStart(3, '0')}`, '2025-01-01', '2025-01-21', 'completed', '–', `row ${i + 1}`]);
    doc.doseLevels = [{ ...doc.doseLevels[0]!, parts: [{ label: 'Escalation: 261 treated', table: { columns: ['Subject', 'First dose', 'DLT window end', 'Status', 'DLTs (grade)', 'Note'], rows } }] }];
    const pdf = await renderMinutesPdf(doc, { createdAt: new Date('2025-01-01T12:00:00Z') });
    const pages = text(pdf, 'long').split('\f');
    for (const r of rows) expect(pages.join('\n')).toContain(r[0]!);
    const withRows = pages.filter((p) => /SUBJ-\d{3}/.test(p));
    // 261 rows at 9 pt (row height 9 × 1.3 + 8 = 19.7 pt) in about 682 pt of page: ~34 rows a page, so 8 or more pages
    expect(withRows.length).toBeGreaterThanOrEqual(8);
    for (const p of withRows) expect(p).toMatch(/Subject\s+First dose/);

    // Every text size set in the pages' content streams (the Tf operator, ISO 32000-1 §9.3) is >= 8 pt.
    const d = await PDFDocument.load(pdf);
    const sizes = new Set<number>();
    for (const page of d.getPages()) {
      const contents = page.node.lookup(PDFName.of('Contents'));
      const streams = contents instanceof PDFArray ? Array.from({ length: contents.size() }, (_, i) => contents.lookup(i, PDFStream)) : [contents as PDFStream];
      for (const s of streams) {
        const ops = new TextDecoder('latin1').decode(decodePDFRawStream(s as PDFRawStream).decode());
        for (const m of ops.matchAll(/\s(-?[\d.]+) Tf\b/g)) sizes.add(Number(m[1]));
      }
    }
    expect(sizes.size).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(8);
    expect(sizes.has(9)).toBe(true); // the table body size
  });
});
