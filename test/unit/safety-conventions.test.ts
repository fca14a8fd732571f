// Safety and escalation on other sponsors' conventions (issue 10, items 4, 5, 9, 11b), each
// snapshot written by hand in CSV, Dataset-JSON and SAS XPT and imported into a real SQLite file.
// Conventions followed:
//  - CDISC pilot (cdiscpilot01 as in pharmaversesdtm): AE with AESEV and no AETOXGR; one DS
//    "DISPOSITION EVENT" per subject that is the END OF STUDY; EX records over an interval (daily
//    dosing, EXSTDTC..EXENDTC); placebo as ARM "Placebo", ARMCD "Pbo", EXTRT "PLACEBO", EXDOSE 0.
//  - SDTMIG v3.4 DS example / admiral ADSL: separate disposition records per EPOCH (TREATMENT vs
//    FOLLOW-UP) or per DSSCAT (STUDY TREATMENT vs STUDY PARTICIPATION); end of treatment from EX
//    (admiral TRTEDT = last EXENDTC) when DS has no treatment disposition.
//  - ICH E2A / SDTMIG AE: a fatal AE (AEOUT FATAL, AESDTH Y) is serious (AESER must be Y).
//  - 3+3 escalation-only (Storer 1989; Le Tourneau et al. 2009; escalation_rules.md (a) variants).
// Every expected number below is worked by hand from the rows, with the day arithmetic shown.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import { safetyMapping } from '../../electron/core/safety/mapping';
import { endOfTreatment, dispositionKind } from '../../shared/endOfTreatment';
import { isPlacebo } from '../../shared/placebo';
import { ctcaeGrade, isFatalNotSerious } from '../../shared/safety/grades';
import { StudyDefinition } from '../../shared/study';
import { FORMATS, table, writeFixture, type FixtureFormat } from '../helpers/conventions';
import { STUDY, domains } from '../helpers/safetyConventions';
import { tmpDir } from '../helpers/snapshot';
import { referencePath } from '../helpers/reference';

describe('pure rules (shared/)', () => {
  it('dispositionKind: EPOCH TREATMENT or DSSCAT/DSCAT naming treatment = treatment; other disposition events = study; milestones = other', () => {
    const r = (o: Partial<Parameters<typeof dispositionKind>[0]>) => dispositionKind({ dsdecod: 'COMPLETED', dscat: 'DISPOSITION EVENT', dsscat: null, epoch: null, dsstdtc: null, ...o });
    expect(r({ epoch: 'TREATMENT' })).toBe('treatment');
    expect(r({ dsscat: 'END OF TREATMENT' })).toBe('treatment');
    expect(r({ dsscat: 'STUDY DRUG DISCONTINUATION' })).toBe('treatment');
    expect(r({ epoch: 'FOLLOW-UP' })).toBe('study');
    expect(r({ dsscat: 'END OF STUDY' })).toBe('study');
    expect(r({})).toBe('study');
    expect(r({ dscat: 'PROTOCOL MILESTONE', dsdecod: 'INFORMED CONSENT OBTAINED' })).toBe('other');
  });
  it('endOfTreatment: DS treatment record wins; else last EXENDTC once the study ended; else ongoing', () => {
    const ex = [{ exstdtc: '2024-01-01', exendtc: '2024-01-08', exdose: 50 }];
    const study = { dsdecod: 'COMPLETED', dscat: 'DISPOSITION EVENT', dsscat: null, epoch: null, dsstdtc: '2024-03-01' };
    const trt = { ...study, epoch: 'TREATMENT', dsdecod: 'ADVERSE EVENT', dsstdtc: '2024-01-20' };
    expect(endOfTreatment({ ds: [study, trt], ex, rfxendtc: null, dthdtc: null, cycleDays: 21 })).toMatchObject({ dtc: '2024-01-20', source: 'DS', reason: 'ADVERSE EVENT', coveredThroughDtc: '2024-01-20' });
    // Interval record: covers to its EXENDTC.
    expect(endOfTreatment({ ds: [study], ex, rfxendtc: null, dthdtc: null, cycleDays: 21 })).toMatchObject({ dtc: '2024-01-08', source: 'EXENDTC', reason: 'COMPLETED', coveredThroughDtc: '2024-01-08' });
    // One single-day infusion: on treatment through the cycle, 2024-02-01 + 21 - 1 = 2024-02-21.
    const one = [{ exstdtc: '2024-02-01', exendtc: '2024-02-01', exdose: 100 }];
    expect(endOfTreatment({ ds: [], ex: one, rfxendtc: null, dthdtc: '2024-04-10', cycleDays: 21 })).toMatchObject({ dtc: '2024-02-01', source: 'EXENDTC', reason: 'DEATH', coveredThroughDtc: '2024-02-21' });
    // Weekly single-day doses (median gap 7): the last, 2024-01-15, covers to 2024-01-21.
    const weekly = ['2024-01-01', '2024-01-08', '2024-01-15'].map((d) => ({ exstdtc: d, exendtc: null, exdose: 1 }));
    expect(endOfTreatment({ ds: [study], ex: weekly, rfxendtc: null, dthdtc: null, cycleDays: 21 })).toMatchObject({ dtc: '2024-01-15', source: 'EXSTDTC', coveredThroughDtc: '2024-01-21' });
    expect(endOfTreatment({ ds: [study], ex: [], rfxendtc: '2024-01-09', dthdtc: null, cycleDays: 21 })).toMatchObject({ dtc: '2024-01-09', source: 'RFXENDTC' });
    expect(endOfTreatment({ ds: [], ex, rfxendtc: '2024-01-08', dthdtc: null, cycleDays: 21 })).toMatchObject({ dtc: null, source: null });
  });
  it('isPlacebo: EXDOSE 0 with EXTRT / ARM placebo, or ARMCD like PBO; an active dose is never placebo', () => {
    expect(isPlacebo({ doses: [{ dose: 0, extrt: 'PLACEBO' }], arm: 'Placebo', armcd: 'Pbo' })).toBe(true);
    expect(isPlacebo({ doses: [{ dose: 0, extrt: 'XANOMELINE' }], arm: 'Arm A', armcd: 'PBO' })).toBe(true);
    expect(isPlacebo({ doses: [{ dose: 0, extrt: 'DRUG' }], actarm: 'Placebo' })).toBe(true);
    expect(isPlacebo({ doses: [{ dose: 54, extrt: 'XANOMELINE' }], arm: 'Placebo', armcd: 'Pbo' })).toBe(false);
    expect(isPlacebo({ doses: [{ dose: 0, extrt: 'DRUG' }], arm: 'Drug', armcd: 'D0' })).toBe(false);
  });
  it('ctcaeGrade reads "3" and "GRADE 3", never AESEV; fatal-not-serious needs AEOUT FATAL or AESDTH Y with AESER not Y', () => {
    expect([ctcaeGrade('3'), ctcaeGrade('GRADE 3'), ctcaeGrade('Grade 4'), ctcaeGrade(''), ctcaeGrade('SEVERE'), ctcaeGrade(null)]).toEqual([3, 3, 4, null, null, null]);
    expect(isFatalNotSerious({ aeout: 'FATAL', aesdth: null, aeser: 'N' })).toBe(true);
    expect(isFatalNotSerious({ aeout: 'RECOVERED/RESOLVED', aesdth: 'Y', aeser: null })).toBe(true);
    expect(isFatalNotSerious({ aeout: 'FATAL', aesdth: 'Y', aeser: 'Y' })).toBe(false);
    expect(isFatalNotSerious({ aeout: 'RECOVERED/RESOLVED', aesdth: 'N', aeser: 'N' })).toBe(false);
  });
});

for (const format of FORMATS) {
  describe(`sponsor conventions in ${format}`, () => {
    let dir: string;
    let core: Core;
    let snapshotId: number;
    beforeAll(async () => {
      dir = tmpDir(`dosedesk-conv-${format}-`);
      core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, 'snap'), domains(), format as FixtureFormat, { study: STUDY }) });
      expect(r.errors).toEqual([]);
      snapshotId = r.snapshotId!;
    });
    afterAll(() => {
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('import: each fatal AE with AESER N is a located warning (file, row, AESER, expected Y, found N)', async () => {
      const s = await core.call('snapshot.get', { snapshotId });
      const q = s.issues.filter((i) => i.code === 'fatal-not-serious').map((i) => ({ file: i.file, row: i.row, column: i.column, found: i.found, count: i.count }));
      // Row 4: PNEUMONIA, AEOUT FATAL and AESDTH Y; row 7: SEPSIS, AEOUT FATAL. Both AESER N.
      expect(q).toEqual([
        { file: `ae.${format}`, row: 4, column: 'AESER', found: 'N', count: 1 },
        { file: `ae.${format}`, row: 7, column: 'AESER', found: 'N', count: 1 },
      ]);
      expect(s.issues.find((i) => i.row === 4 && i.code === 'fatal-not-serious')!.expected).toMatch(/^Y \(the AE is fatal: AEOUT = FATAL, AESDTH = Y/);
    });

    it('cohorts.summary: a Placebo row; grade >= 3 counts only graded AEs and says how many AEs have no grade; AESEV SEVERE apart', async () => {
      const c = await core.call('cohorts.summary', { snapshotId });
      const pick = (r: (typeof c.rows)[number]) => [r.level, r.placebo, r.treated, r.windowComplete, r.notEvaluable, r.subjectsGrade3, r.teaesWithoutGrade, r.subjectsSevere, r.saes, r.subjectsWithDlt, r.ongoing];
      expect(c.rows.map(pick)).toEqual([
        // Placebo: 1008, 1009; one grade-1 headache. Both ongoing (no DS, no death), windows complete.
        [0, true, 2, 2, 0, 0, 0, 0, 0, 0, 2],
        // Level 1 (50 mg): 1001, 1002, 1003, 1007. Grade >= 3: 1002 nausea (3). Ungraded: 1001 headache,
        // 1003 diarrhoea. SEVERE: 1001, 1002. 1001 not evaluable (treatment ended day 8). Ongoing: 1007.
        [1, false, 4, 3, 1, 1, 2, 2, 0, 0, 1],
        // Level 2 (100 mg): 1004, 1005, 1006. Grade >= 3: 1005 (4), 1006 (3). Ungraded: 1004 pneumonia,
        // 1006 sepsis. SEVERE: all three. SAE: 1005 only (the fatal ones say AESER N). DLT: 1005, 1006.
        [2, false, 3, 3, 0, 2, 2, 3, 1, 2, 2],
      ]);
    });

    it('DLT table: end of treatment per subject with its source; end of study is not end of treatment', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      const subj = new Map(t.levels.flatMap((l) => l.subjects.map((s) => [s.usubjid, s] as const)));
      const s1 = subj.get('01-701-1001')!;
      // EXENDTC 2024-01-08 = study day 8 (2024-01-01 is day 1); DS ADVERSE EVENT 2024-03-01 is the end of study.
      expect([s1.status, s1.endOfTreatment?.dtc, s1.endOfTreatment?.source]).toEqual(['not-evaluable', '2024-01-08', 'EXENDTC']);
      expect(s1.reason).toBe('treatment ended on study day 8 (last exposure, EXENDTC), before the end of the 21-day DLT window, without a DLT');
      expect(s1.endOfTreatment?.detail).toContain('end of study (ADVERSE EVENT on 2024-03-01) is not the end of treatment');
      // EPOCH TREATMENT record 2024-02-28 (the FOLLOW-UP record 2024-04-01 is the end of study).
      expect([subj.get('01-701-1002')!.endOfTreatment?.dtc, subj.get('01-701-1002')!.endOfTreatment?.source, subj.get('01-701-1002')!.status]).toEqual(['2024-02-28', 'DS', 'completed']);
      // DSSCAT STUDY TREATMENT 2024-02-10 (not the STUDY PARTICIPATION death of 2024-03-15).
      expect([subj.get('01-701-1003')!.endOfTreatment?.dtc, subj.get('01-701-1003')!.endOfTreatment?.source]).toEqual(['2024-02-10', 'DS']);
      // One infusion on 2024-02-01, then death 2024-04-10 (end of study): last exposure EXENDTC, and the
      // infusion covers the 21-day cycle, so the window (to 2024-02-21) was completed on treatment.
      expect([subj.get('01-701-1004')!.endOfTreatment?.dtc, subj.get('01-701-1004')!.endOfTreatment?.source, subj.get('01-701-1004')!.status]).toEqual(['2024-02-01', 'EXENDTC', 'completed']);
      expect(subj.get('01-701-1007')!.endOfTreatment).toBeNull();
    });

    it('swimmer: the lane ends at the same end of treatment (shared/endOfTreatment.ts); placebo is level 0', async () => {
      const t = await core.call('subjects.timeline', { snapshotId });
      const lane = (id: string) => t.subjects.find((x) => x.usubjid === id)!;
      // 1001: last exposure 2024-01-08 = study day 8, not the end-of-study date 2024-03-01.
      expect([lane('01-701-1001').endOfTreatment, lane('01-701-1001').laneEndDtc, lane('01-701-1001').ongoing]).toEqual([{ dtc: '2024-01-08', day: 8, reason: 'ADVERSE EVENT' }, '2024-01-08', false]);
      // 1002: EPOCH TREATMENT 2024-02-28 = day 58 (2024-01-02 is day 1).
      expect(lane('01-701-1002').endOfTreatment).toEqual({ dtc: '2024-02-28', day: 58, reason: 'COMPLETED' });
      expect([lane('01-701-1008').level, lane('01-701-1008').ongoing]).toEqual([0, true]);
    });

    it('DLT table: possible-DLT screen on graded AEs, and the related ungraded AEs it cannot screen (with AESEV as severity)', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      const l1 = t.levels.find((l) => l.level === 1)!;
      // 1002 NAUSEA grade 3, related, study day 9 (2024-01-10 - 2024-01-02 + 1), no DLT flag.
      expect(l1.subjects.find((s) => s.usubjid === '01-701-1002')!.possibleDlts.map((a) => [a.aedecod, a.grade, a.studyDay])).toEqual([['Nausea', 3, 9]]);
      // 1001 HEADACHE: related (PROBABLE), day 5, no grade -> cannot be screened; 1003's diarrhoea is not related.
      expect(l1.subjects.find((s) => s.usubjid === '01-701-1001')!.ungradedNotScreened.map((a) => [a.aedecod, a.grade, a.severity, a.studyDay])).toEqual([['Headache', null, 'SEVERE', 5]]);
      expect([l1.possibleDltsNotFlagged, l1.ungradedNotScreened]).toEqual([1, 1]);
      expect(t.notes.some((n) => n.includes('cannot assess 1 related AE(s)'))).toBe(true);
      // The AE view's listing of the same: only 1001's headache (1004's pneumonia and 1006's sepsis are not related).
      const l = await core.call('safety.listings', { snapshotId });
      expect(l.notScreenedGradeNotCollected.map((r) => [r.usubjid, r.aedecod, r.severity])).toEqual([['01-701-1001', 'Headache', 'SEVERE']]);
      expect(l.possibleDltsNotFlagged.map((r) => [r.usubjid, r.aedecod])).toEqual([['01-701-1002', 'Nausea']]);
    });

    it('placebo: its own level (0), not in the escalation history; escalation-only 3+3 stops at level 1', async () => {
      const t = await core.call('safety.dltTable', { snapshotId });
      expect(t.levels.map((l) => [l.level, l.placebo, l.subjects.map((s) => s.usubjid)])).toEqual([
        [0, true, ['01-701-1008', '01-701-1009']],
        [1, false, ['01-701-1001', '01-701-1002', '01-701-1003', '01-701-1007']],
        [2, false, ['01-701-1004', '01-701-1005', '01-701-1006']],
      ]);
      expect(t.unplanned).toEqual(['01-701-1010']);
      // Level 1 in order of first dose: 1002 N, 1003 N, 1007 N (1001 not evaluable, left out); level 2:
      // 1004 N, 1005 T (day 10), 1006 T (day 5). Storer: 2 of 3 at level 2 -> stop, MTD = level 1,
      // even though level 1 has 3 evaluable patients (and "6 at the MTD" is on by default).
      expect(t.history).toBe('1NNN 2NTT');
      expect(t.excluded.map((e) => e.usubjid)).toEqual(['01-701-1001']);
      expect([t.recommendation.action, t.recommendation.recommendedLevel, t.recommendation.continues]).toEqual(['STOP_MTD', 1, false]);
      expect(t.recommendation.explanation).toContain('3+3 escalation-only (Storer 1989), 6 at the MTD: 2 of 3 evaluable patients at level 2 had a DLT');
      expect(t.notes.some((n) => n.includes('2 subject(s) on placebo'))).toBe(true);
    });

    it('incidence (grade >= 3, by level): Placebo column; ungraded AEs counted apart per cell', async () => {
      const inc = await core.call('safety.incidence', { snapshotId, by: 'level', minGrade: 3 });
      expect(inc.groups).toEqual([
        { key: 'placebo', label: 'Placebo', n: 2 },
        { key: 'L1', label: 'Level 1: 50 mg', n: 4 },
        { key: 'L2', label: 'Level 2: 100 mg', n: 3 },
        { key: 'unplanned', label: 'First dose not in the dose plan', n: 1 },
      ]);
      const any = inc.rows[0]!;
      expect(['placebo', 'L1', 'L2'].map((k) => [any.cells[k]!.subjects, any.cells[k]!.ungradedEvents])).toEqual([[0, 0], [1, 2], [2, 2]]);
      expect([any.total.subjects, any.total.ungradedEvents]).toEqual([3, 4]);
      // The Infections SOC has only ungraded events (pneumonia, sepsis): kept as a row with 0 subjects, 2 ungraded.
      const inf = inc.rows.find((r) => r.kind === 'soc' && r.soc === 'Infections and infestations')!;
      expect([inf.total.subjects, inf.total.ungradedEvents]).toEqual([0, 2]);
    });

    it('AE listing: severity beside the grade, the fatal-not-serious query on the AE', async () => {
      const l = await core.call('safety.aeListing', { snapshotId });
      const row = (id: string, term: string) => l.rows.find((r) => r.usubjid === id && r.aedecod === term)!;
      expect([row('01-701-1004', 'Pneumonia').grade, row('01-701-1004', 'Pneumonia').severity, row('01-701-1004', 'Pneumonia').fatalNotSerious]).toEqual([null, 'SEVERE', true]);
      expect(row('01-701-1006', 'Sepsis').fatalNotSerious).toBe(true);
      expect(l.rows.filter((r) => r.fatalNotSerious)).toHaveLength(2);
      expect([row('01-701-1008', 'Headache').level, row('01-701-1008', 'Headache').dose]).toEqual([0, 0]);
    });

    it('mapping report: AE graded / not (mapTo ae.gradeVariable), fatal-not-serious, DS used vs end of study, EX not placed', async () => {
      const def = StudyDefinition.parse(STUDY);
      const entries = safetyMapping(core.ctx.db, snapshotId, def);
      const ae = entries.find((e) => e.domain === 'AE')!;
      // 9 AE rows; graded: 1002, 1005, 1006 fatigue, 1008, 1007 = 5.
      expect([ae.rowsRead, ae.rowsUsed, ae.views]).toEqual([9, 5, ['cohorts', 'aes', 'swimmer']]);
      expect(ae.unused.map((u) => [u.variable, u.rows, u.mapTo, u.values])).toEqual([
        ['AETOXGR', 4, 'ae.gradeVariable', [{ value: 'AESEV SEVERE', count: 3 }, { value: 'AESEV MILD', count: 1 }]],
        ['AESER', 2, null, [{ value: 'AESER N', count: 2 }]],
      ]);
      const ds = entries.find((e) => e.domain === 'DS')!;
      // 7 DS rows; used: 1002 EPOCH TREATMENT, 1003 DSSCAT STUDY TREATMENT. End of study: 1001, 1002
      // follow-up, 1003 study participation, 1004. Milestone: 1002 consent.
      expect([ds.rowsRead, ds.rowsUsed]).toEqual([7, 2]);
      expect(ds.unused.map((u) => [u.rows, u.values])).toEqual([
        [4, [
          { value: 'ADVERSE EVENT (DSCAT DISPOSITION EVENT)', count: 1 },
          { value: 'COMPLETED (EPOCH FOLLOW-UP)', count: 1 },
          { value: 'DEATH (DSCAT DISPOSITION EVENT)', count: 1 },
          { value: 'DEATH (DSSCAT STUDY PARTICIPATION)', count: 1 },
        ]],
        [1, [{ value: 'INFORMED CONSENT OBTAINED (EPOCH SCREENING)', count: 1 }]],
      ]);
      const ex = entries.find((e) => e.domain === 'EX')!;
      // 11 EX rows; 1010's 75 mg is not a planned level.
      expect([ex.rowsRead, ex.rowsUsed, ex.unused.map((u) => [u.variable, u.rows, u.mapTo, u.values])]).toEqual([11, 10, [['EXDOSE', 1, 'doseLevels', [{ value: '75', count: 1 }]]]]);
    });
  });
}

// CDISC pilot convention: no AETOXGR column at all (AESEV only); a sponsor keeping the CTCAE grade in
// SUPPAE (QNAM CTCAEGR) is read through the study definition's ae.gradeVariable.
for (const format of FORMATS) {
  describe(`AE without AETOXGR, grade in SUPPAE (${format})`, () => {
    let dir: string;
    const cores: Core[] = [];
    /** Each snapshot in its own fresh database (the two differ only in study.json). */
    const importInto = async (sub: string, f: { domains: ReturnType<typeof table>[]; study: object }) => {
      const core = createCore({ dbPath: path.join(dir, `${sub}.sqlite`), user: 'tester' });
      cores.push(core);
      const r = await core.call('snapshot.import', { path: writeFixture(path.join(dir, sub), f.domains, format as FixtureFormat, { study: f.study }) });
      expect(r.errors).toEqual([]);
      return { core, snapshotId: r.snapshotId! };
    };
    const doms = (study: object) => ({
      domains: [
        table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'RFXSTDTC', 'ARMCD', 'ARM'], [
          ['CONV2', 'DM', 'P-1', '2024-01-01', 'D50', 'Drug 50 mg'],
          ['CONV2', 'DM', 'P-2', '2024-01-02', 'D50', 'Drug 50 mg'],
        ]),
        table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
          ['CONV2', 'EX', 'P-1', 'DRUG', 50, 'mg', '2024-01-01'],
          ['CONV2', 'EX', 'P-2', 'DRUG', 50, 'mg', '2024-01-02'],
        ]),
        table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AESEV', 'AESER', 'AEREL', 'AESTDTC'], [
          ['CONV2', 'AE', 'P-1', 1, 'VOMITING', 'Vomiting', 'Gastrointestinal disorders', 'SEVERE', 'N', 'RELATED', '2024-01-05'],
          ['CONV2', 'AE', 'P-1', 2, 'COUGH', 'Cough', 'Respiratory, thoracic and mediastinal disorders', 'MILD', 'N', 'NOT RELATED', '2024-01-06'],
          ['CONV2', 'AE', 'P-2', 1, 'ANAEMIA', 'Anaemia', 'Blood and lymphatic system disorders', 'MODERATE', 'N', 'RELATED', '2024-01-10'],
        ]),
        table('SUPPAE', ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'], [
          ['CONV2', 'AE', 'P-1', 'AESEQ', '1', 'CTCAEGR', 'CTCAE Grade', '3'],
          ['CONV2', 'AE', 'P-2', 'AESEQ', '1', 'CTCAEGR', 'CTCAE Grade', '2'],
        ]),
      ],
      study: { studyId: 'CONV2', dataCutoff: '2024-03-01', doseUnit: 'mg', doseLevels: [{ level: 1, dose: 50 }], escalation: { design: '3+3' }, ...study },
    });
    beforeAll(() => {
      dir = tmpDir(`dosedesk-conv2-${format}-`);
    });
    afterAll(() => {
      for (const c of cores) c.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('without ae.gradeVariable: no grade at all, "not collected" for all 3 AEs, never 0 of grade >= 3 in silence; severity apart', async () => {
      const { core, snapshotId } = await importInto('a', doms({}));
      const c = await core.call('cohorts.summary', { snapshotId });
      expect(c.rows.map((x) => [x.subjectsGrade3, x.teaesWithoutGrade, x.subjectsSevere])).toEqual([[0, 3, 1]]);
      const t = await core.call('safety.dltTable', { snapshotId });
      // Related, in the window, ungraded: P-1 vomiting (day 5), P-2 anaemia (day 9).
      expect(t.levels[0]!.ungradedNotScreened).toBe(2);
    });

    it('with ae.gradeVariable CTCAEGR: grades from SUPPAE; vomiting grade 3 is a possible DLT; cough stays "not collected"', async () => {
      const f = doms({ ae: { gradeVariable: 'CTCAEGR' } });
      const { core, snapshotId } = await importInto('b', f);
      const c = await core.call('cohorts.summary', { snapshotId });
      expect(c.rows.map((x) => [x.subjectsGrade3, x.teaesWithoutGrade, x.subjectsSevere])).toEqual([[1, 1, 1]]);
      const t = await core.call('safety.dltTable', { snapshotId });
      expect(t.levels[0]!.subjects.flatMap((s) => s.possibleDlts.map((a) => [s.usubjid, a.aedecod, a.grade]))).toEqual([['P-1', 'Vomiting', 3]]);
      expect(t.levels[0]!.ungradedNotScreened).toBe(0);
      const m = safetyMapping(core.ctx.db, snapshotId, StudyDefinition.parse(f.study)).find((e) => e.domain === 'AE')!;
      expect([m.rowsRead, m.rowsUsed, m.settings]).toEqual([3, 2, ['CTCAE grade from AETOXGR, else CTCAEGR (SUPPAE QNAM or AE column)']]);
    });

    it('possible-DLT screen: an AE whose relationship is missing (AEREL empty or UNKNOWN) is screened and marked; one read as not related is not', async () => {
      // docs/CLINICAL_RULES.md#dlt-window-and-evaluability: a DLT is an AE at least possibly related; a missing
      // assessment cannot rule that out. Worked by hand: P-2 (first dose 2024-01-02) fatigue grade 3 on 2024-01-12
      // = day 11 (AEREL empty) and rash grade 4 on 2024-01-15 = day 14 (UNKNOWN) are in the 21-day window;
      // P-1's headache grade 3 (UNLIKELY RELATED, day 7) leaves the screen; P-1's vomiting (RELATED) stays unmarked.
      const f = doms({ ae: { gradeVariable: 'CTCAEGR' } });
      const ae = f.domains.find((d) => d.name === 'AE')!;
      ae.rows.push(
        ['CONV2', 'AE', 'P-2', 2, 'FATIGUE', 'Fatigue', 'General disorders and administration site conditions', 'SEVERE', 'N', '', '2024-01-12'],
        ['CONV2', 'AE', 'P-2', 3, 'RASH', 'Rash', 'Skin and subcutaneous tissue disorders', 'SEVERE', 'N', 'UNKNOWN', '2024-01-15'],
        ['CONV2', 'AE', 'P-1', 3, 'HEADACHE', 'Headache', 'Nervous system disorders', 'SEVERE', 'N', 'UNLIKELY RELATED', '2024-01-07'],
      );
      f.domains.find((d) => d.name === 'SUPPAE')!.rows.push(
        ['CONV2', 'AE', 'P-2', 'AESEQ', '2', 'CTCAEGR', 'CTCAE Grade', '3'],
        ['CONV2', 'AE', 'P-2', 'AESEQ', '3', 'CTCAEGR', 'CTCAE Grade', '4'],
        ['CONV2', 'AE', 'P-1', 'AESEQ', '3', 'CTCAEGR', 'CTCAE Grade', '3'],
      );
      const { core, snapshotId } = await importInto('c', f);
      const t = await core.call('safety.dltTable', { snapshotId });
      expect(t.levels[0]!.subjects.flatMap((s) => s.possibleDlts.map((a) => [s.usubjid, a.aedecod, a.grade, a.studyDay, a.relationshipMissing ?? false]))).toEqual([
        ['P-1', 'Vomiting', 3, 5, false],
        ['P-2', 'Fatigue', 3, 11, true],
        ['P-2', 'Rash', 4, 14, true],
      ]);
      expect(t.levels[0]!.possibleDltsNotFlagged).toBe(3);
      const l = await core.call('safety.listings', { snapshotId });
      expect(l.possibleDltsNotFlagged.map((r) => [r.usubjid, r.aedecod])).toEqual([['P-1', 'Vomiting'], ['P-2', 'Fatigue'], ['P-2', 'Rash']]);
    });
  });
}

// The real export of issue 10 (CDISC pilot 01, read in place from ../shared/reference/sdtm-xpt):
// AESEV without AETOXGR, placebo arm (EXDOSE 0, EXTRT PLACEBO), DS end-of-study records only. The
// counts to match are those reported in the issue from the sponsor's own listing: 29 subjects with a
// SEVERE treatment-emergent AE, and three fatal AEs coded AESER = N.
const PILOT = referencePath('sdtm-xpt/cdiscpilot01', 'safety-conventions.test.ts (CDISC pilot 01 as exported)');
describe.skipIf(!PILOT)('CDISC pilot 01 as exported (issue 10 report)', () => {
  let dir: string;
  let core: Core;
  let snapshotId: number;
  beforeAll(async () => {
    dir = tmpDir('dosedesk-pilot-');
    core = createCore({ dbPath: path.join(dir, 'db.sqlite'), user: 'tester' });
    const r = await core.call('snapshot.import', { path: PILOT! });
    expect(r.status).toBe('imported');
    snapshotId = r.snapshotId!;
  }, 120_000);
  afterAll(() => {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('three fatal AEs with AESER N are located warnings; 29 subjects with a SEVERE TEAE; no grade is shown as 0 without saying so; placebo has its own row', async () => {
    const s = await core.call('snapshot.get', { snapshotId });
    expect(s.issues.filter((i) => i.code === 'fatal-not-serious').map((i) => [i.file, i.column, i.found])).toEqual([
      ['ae.xpt', 'AESER', 'N'],
      ['ae.xpt', 'AESER', 'N'],
      ['ae.xpt', 'AESER', 'N'],
    ]);
    const c = await core.call('cohorts.summary', { snapshotId });
    expect(c.rows.reduce((n, r) => n + r.subjectsSevere, 0)).toBe(29);
    // No AETOXGR at all: every TEAE is "grade not collected", none counted as grade >= 3.
    expect(c.rows.every((r) => r.subjectsGrade3 === 0 && r.teaesWithoutGrade > 0)).toBe(true);
    const placebo = c.rows.filter((r) => r.placebo);
    expect(placebo.map((r) => [r.level, r.dose])).toEqual([[0, 0]]);
    const t = await core.call('safety.dltTable', { snapshotId });
    expect(t.unplanned).toEqual([]);
    // End of treatment never from the DS end-of-study records (the pilot has no treatment disposition).
    expect(t.levels.flatMap((l) => l.subjects).filter((x) => x.endOfTreatment?.source === 'DS')).toEqual([]);
  });
});
