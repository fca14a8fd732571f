import { contract } from '../../../shared/contract';
import type { Output } from '../../../shared/contract';
import { command, snapshotArg, str, UsageError, type Command, type ParsedArgs } from '../cliArgs';
import { LAB_TABLES, labTable } from '../labs/cli';
import { ECG_TABLES, ecgTable } from '../ecg/cli';
import { EXPOSURE_TABLES, exposureTable } from '../exposure/cli';
import { CM_TABLES, cmTable } from '../cm/cli';

// CLI commands of the safety feature. Every command goes through the contract (core.call).
//   dosedesk recommend --design 3+3|atd|boin|mtpi2 --levels K --history "1NNN 2NNT" [--no-deescalation] [--no-six-at-mtd]
//                      [--atd-design 2|3|4] [--atd-handoff expand-trigger-level|next-level] [--target P]
//   dosedesk recommend --snapshot ID [--lookahead K]   (K = 1..6 next evaluable patients: one JSON entry per outcome path)
//   dosedesk tables --snapshot ID [--format json|csv] [--table incidence|ae|sae|dlt|possible-dlt|discontinuation|deaths|dlt-table|ada|response|
//                   related-incidence|ae-action|ae-action-listing|soc-grade|lab-shift|edish|qtc|exposure|cm]
//     (CSV gives one table, the TEAE incidence tables in long form by default)

const DESIGNS = ['3+3', 'atd', 'boin', 'mtpi2'] as const;

function num(args: ParsedArgs, name: string): number | undefined {
  const v = str(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, found ${JSON.stringify(v)}`);
  return n;
}

/** The six fields of the recommend command's output. */
function decisionOf(r: { action: string | null; nextLevel: number | null; continues: boolean | null; recommendedLevel: number | null; explanation: string; determined: boolean }) {
  return { action: r.action, nextLevel: r.nextLevel, continues: r.continues, recommendedLevel: r.recommendedLevel, explanation: r.explanation, determined: r.determined };
}

const recommendCmd: Command['run'] = async (core, args) => {
  const snap = str(args, 'snapshot');
  if (snap !== undefined) {
    const snapshotId = snapshotArg(snap, 'recommend --snapshot');
    const k = num(args, 'lookahead');
    if (k !== undefined) {
      if (!Number.isInteger(k) || k < 1 || k > 6) throw new UsageError(`recommend: --lookahead K must be a whole number of next patients from 1 to 6, found ${str(args, 'lookahead')}`);
      const la = await core.call('safety.lookahead', { snapshotId, patients: k });
      const brief = (r: (typeof la.paths)[number]['protocol']) => ({ action: r.action, nextLevel: r.nextLevel, recommendedLevel: r.recommendedLevel, ...(r.error ? { error: r.error } : {}) });
      return {
        ok: la.current.protocol.error === null,
        output: {
          snapshotId,
          dataCutoff: la.dataCutoff,
          design: la.design,
          targetToxicity: la.targetToxicity,
          lookahead: la.maxPatients,
          history: la.current.history,
          current: { ...brief(la.current.protocol), boin: brief(la.current.boin), mtpi2: brief(la.current.mtpi2) },
          paths: la.paths.map((p) => ({
            patients: p.patients,
            dlts: p.dlts,
            path: p.path,
            steps: p.steps,
            history: p.history,
            decision: p.protocol.action,
            nextLevel: p.protocol.nextLevel,
            recommendedLevel: p.protocol.recommendedLevel,
            whenComplete: p.protocol.whenComplete ? p.protocol.whenComplete.action : null,
            boin: brief(p.boin),
            mtpi2: brief(p.mtpi2),
          })),
          note: la.note,
        },
      };
    }
    const t = await core.call('safety.dltTable', { snapshotId });
    return {
      ok: t.recommendation.error === null,
      output: {
        snapshotId,
        dataCutoff: t.dataCutoff,
        design: t.design,
        history: t.history,
        ...decisionOf(t.recommendation),
        rule: t.recommendation.rule,
        whenComplete: t.recommendation.whenComplete,
        warnings: t.recommendation.warnings,
        excluded: t.excluded,
        context: { boin: decisionOf(t.boin), mtpi2: decisionOf(t.mtpi2) },
        notes: t.notes,
      },
    };
  }
  const design = str(args, 'design');
  if (!design || !(DESIGNS as readonly string[]).includes(design)) throw new UsageError(`recommend: --design must be one of ${DESIGNS.join(', ')} (or give --snapshot ID)`);
  const levels = num(args, 'levels');
  if (levels === undefined || !Number.isInteger(levels) || levels < 1) throw new UsageError('recommend: --levels K (the number of planned dose levels, a positive whole number) is required');
  const history = str(args, 'history');
  if (history === undefined) throw new UsageError('recommend: --history "1NNN 2NNT" is required (use "" for no patient yet)');
  const atd = num(args, 'atd-design');
  if (atd !== undefined && atd !== 2 && atd !== 3 && atd !== 4) throw new UsageError('recommend: --atd-design must be 2, 3 or 4');
  if (design === 'atd' && atd === undefined) throw new UsageError('recommend: --design atd needs --atd-design 2|3|4');
  const handoff = str(args, 'atd-handoff');
  if (handoff !== undefined && handoff !== 'expand-trigger-level' && handoff !== 'next-level') throw new UsageError('recommend: --atd-handoff must be expand-trigger-level or next-level');
  const target = num(args, 'target');
  const r = await core.call('safety.recommend', {
    design: design as (typeof DESIGNS)[number],
    levels,
    history,
    ...(args.flags.has('no-deescalation') ? { deescalation: false } : {}),
    ...(args.flags.has('no-six-at-mtd') ? { sixAtMtd: false } : {}),
    ...(atd !== undefined ? { atdDesign: atd as 2 | 3 | 4 } : {}),
    ...(handoff !== undefined ? { atdHandoff: handoff } : {}),
    ...(target !== undefined ? { target } : {}),
  });
  return { ok: true, output: decisionOf(r) };
};

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join('; ') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Nested objects as dotted columns (orr.estimate, counts.CR) for CSV. */
function flatten(o: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

export function toCsv(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** Incidence tables in long form: one line per table × row × group (the group "Total" included). */
function incidenceLong(tables: { name: string; t: Output<'safety.incidence'> }[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const { name, t } of tables)
    for (const r of t.rows)
      for (const g of [...t.groups, { key: 'total', label: 'Total', n: t.totalN }]) {
        const c = g.key === 'total' ? r.total : r.cells[g.key]!;
        out.push({
          table: name,
          row: r.kind,
          soc: r.soc ?? 'Any TEAE',
          pt: r.pt ?? '',
          group: g.label,
          N: g.n,
          subjects: c.subjects,
          percent: c.percent,
          events: c.events,
          worst_grade_1: c.byWorstGrade[0],
          worst_grade_2: c.byWorstGrade[1],
          worst_grade_3: c.byWorstGrade[2],
          worst_grade_4: c.byWorstGrade[3],
          worst_grade_5: c.byWorstGrade[4],
          worst_grade_missing: c.worstGradeMissing,
          // AEs without a CTCAE grade: not in the grade counts above ("grade not collected for N AEs").
          ungraded_events: c.ungradedEvents,
        });
      }
  return out;
}

const AE_COLUMNS = ['usubjid', 'level', 'dose', 'part', 'aeseq', 'studyDay', 'aeterm', 'aedecod', 'aebodsys', 'grade', 'severity', 'serious', 'related', 'dlt', 'aeout', 'aeacn', 'fatalNotSerious', 'teae', 'aestdtc', 'aeendtc'];

const AE_TABLES = ['related-incidence', 'ae-action', 'ae-action-listing', 'soc-grade'] as const;

/** Related-AE incidence, AEs leading to dose change (summary or listing) and the SOC × level worst-grade grid, as JSON or CSV. */
async function aeTable(core: Parameters<Command['run']>[0], snapshotId: number, which: (typeof AE_TABLES)[number], format: string): Promise<{ ok: true; output: unknown }> {
  if (which === 'related-incidence') {
    const tables = await Promise.all(([1, 3] as const).map(async (minGrade) => ({ minGrade, t: await core.call('safety.relatedIncidence', { snapshotId, minGrade }) })));
    if (format === 'json') return { ok: true, output: Object.fromEntries(tables.map(({ minGrade, t }) => [minGrade === 1 ? 'related TEAE, any grade' : 'related TEAE, grade >= 3', t])) };
    const rows = incidenceLong(tables.map(({ minGrade, t }) => ({ name: minGrade === 1 ? 'Related TEAE, any grade' : 'Related TEAE, grade >= 3', t: { ...t, by: 'level' as const } })));
    // TEAEs whose AEREL is empty, UNKNOWN or unrecognised: neither related nor unrelated.
    const t = tables[0]!.t;
    for (const g of [...t.groups, { key: 'total', label: 'Total', n: t.totalN }]) {
      const c = g.key === 'total' ? t.relationshipMissing.total : t.relationshipMissing.byGroup[g.key]!;
      rows.push({ table: 'Relationship missing (AEREL empty, UNKNOWN or unrecognised)', row: 'relationship-missing', soc: '', pt: '', group: g.label, N: g.n, subjects: c.subjects, events: c.events });
    }
    return { ok: true, output: toCsv(rows) };
  }
  if (which === 'soc-grade') {
    const t = await core.call('safety.socGradeGrid', { snapshotId });
    if (format === 'json') return { ok: true, output: t };
    const rows = t.rows.flatMap((r) =>
      [...t.groups, { key: 'total', label: 'Total', n: t.groups.reduce((n, g) => n + g.n, 0) }].map((g) => {
        const c = g.key === 'total' ? r.total : r.cells[g.key]!;
        return { soc: r.soc, group: g.label, N: g.n, subjects: c.subjects, worst_grade: c.worstGrade, worst_grade_missing: c.worstGradeMissing };
      }),
    );
    return { ok: true, output: toCsv(rows) };
  }
  const t = await core.call('safety.aeAction', { snapshotId });
  if (which === 'ae-action-listing') return { ok: true, output: format === 'json' ? t.listing : toCsv(t.listing, [...AE_COLUMNS, 'action']) };
  if (format === 'json') return { ok: true, output: t };
  const rows: Record<string, unknown>[] = [];
  for (const g of [...t.groups, { key: 'total', label: 'Total', n: t.totalN }]) {
    for (const r of t.rows) {
      const c = g.key === 'total' ? r.total : r.cells[g.key]!;
      rows.push({ action: r.action, group: g.label, N: g.n, subjects: c.subjects, percent: c.percent, events: c.events });
    }
    const c = g.key === 'total' ? t.notInterpretable.total : t.notInterpretable.byGroup[g.key]!;
    rows.push({ action: 'not-interpretable', group: g.label, N: g.n, subjects: c.subjects, percent: null, events: c.events });
  }
  return { ok: true, output: toCsv(rows) };
}

const tablesCmd: Command['run'] = async (core, args) => {
  const snapshotId = snapshotArg(str(args, 'snapshot') ?? args.positional[1], 'tables --snapshot');
  const format = str(args, 'format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError('tables: --format must be json or csv');
  const which = str(args, 'table');
  const TABLES = ['incidence', 'ae', 'sae', 'dlt', 'possible-dlt', 'discontinuation', 'deaths', 'dlt-table', 'ada', 'response', ...AE_TABLES, ...LAB_TABLES, ...ECG_TABLES, ...EXPOSURE_TABLES, ...CM_TABLES];
  if (which !== undefined && !TABLES.includes(which)) throw new UsageError(`tables: --table must be one of ${TABLES.join(', ')}`);
  // Laboratory safety (labs/cli.ts).
  const lab = LAB_TABLES.find((t) => t === which);
  if (lab) {
    const t = await labTable(core, snapshotId, lab, format);
    return { ok: true, output: 'csv' in t ? toCsv(t.csv.rows, t.csv.columns) : t.json };
  }
  // ECG: QTcF and the ICH E14 categories (ecg/cli.ts).
  const ecg = ECG_TABLES.find((t) => t === which);
  if (ecg) {
    const t = await ecgTable(core, snapshotId, ecg, format);
    return { ok: true, output: 'csv' in t ? toCsv(t.csv.rows, t.csv.columns) : t.json };
  }

  // Exposure: cycles, dose intensity, delays, reductions, interruptions (exposure/cli.ts).
  if (which !== undefined && (EXPOSURE_TABLES as readonly string[]).includes(which)) {
    const t = await exposureTable(core, snapshotId, format);
    return { ok: true, output: 'csv' in t ? toCsv(t.csv.rows, t.csv.columns) : t.json };
  }

  // Concomitant medications listing (cm/cli.ts).
  if (which !== undefined && (CM_TABLES as readonly string[]).includes(which)) {
    const t = await cmTable(core, snapshotId, format);
    return { ok: true, output: 'csv' in t ? toCsv(t.csv.rows, t.csv.columns) : t.json };
  }

  // The committee's AE tables (related incidence, dose change, SOC grid) are asked for by name only.
  if (which !== undefined && (AE_TABLES as readonly string[]).includes(which)) return aeTable(core, snapshotId, which as (typeof AE_TABLES)[number], format);

  const incidence = [
    { name: 'TEAE by dose level, any grade', t: await core.call('safety.incidence', { snapshotId, by: 'level', minGrade: 1 }) },
    { name: 'TEAE by dose level, grade >= 3', t: await core.call('safety.incidence', { snapshotId, by: 'level', minGrade: 3 }) },
    { name: 'TEAE by part, any grade', t: await core.call('safety.incidence', { snapshotId, by: 'part', minGrade: 1 }) },
    { name: 'TEAE by part, grade >= 3', t: await core.call('safety.incidence', { snapshotId, by: 'part', minGrade: 3 }) },
  ];
  const listings = await core.call('safety.listings', { snapshotId });
  const dlt = await core.call('safety.dltTable', { snapshotId });
  const ada = await core.call('safety.ada', { snapshotId });
  // Response tables come from the efficacy feature when its contract method exists.
  let response: unknown = null;
  let responseNote: string | null = null;
  if ('efficacy.responseSummary' in contract) {
    try {
      response = {
        byLevel: await core.callRaw('efficacy.responseSummary', { snapshotId, by: 'level' }),
        byPart: await core.callRaw('efficacy.responseSummary', { snapshotId, by: 'part' }),
      };
    } catch (e) {
      responseNote = `efficacy.responseSummary failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  } else responseNote = 'Response tables are not available: the contract has no efficacy.responseSummary method yet; only safety tables are given.';

  const dltRows = dlt.levels.flatMap((l) =>
    l.subjects.map((s) => ({
      part: l.part,
      level: l.placebo ? 'placebo' : l.level,
      dose: l.dose,
      usubjid: s.usubjid,
      firstDoseDtc: s.firstDoseDtc,
      windowEndDtc: s.windowEndDtc,
      daysLeft: s.daysLeft,
      status: s.status,
      evaluable: s.evaluable,
      reason: s.reason,
      dlts: s.dlts.map((a) => `${a.aedecod ?? a.aeterm} (grade ${a.grade ?? '?'}, day ${a.studyDay ?? '?'})`),
      possibleDltsNotFlagged: s.possibleDlts.map((a) => `${a.aedecod ?? a.aeterm} (grade ${a.grade ?? '?'}, day ${a.studyDay ?? '?'}${a.relationshipMissing ? ', relationship missing' : ''})`),
      // Related AEs in the window the screen cannot assess: no CTCAE grade (AESEV is severity).
      notScreenedGradeNotCollected: s.ungradedNotScreened.map((a) => `${a.aedecod ?? a.aeterm} (grade not collected${a.severity ? `, severity ${a.severity}` : ''}, day ${a.studyDay ?? '?'})`),
      // Lab results of CTCAE grade >= 3 in the window (labs feature): beside the AE screen.
      labGrade3InWindow: s.possibleDltLabs.map((x) => `${x.term} (grade ${x.grade}, ${x.testcd} ${x.result ?? ''} ${x.unit ?? ''}, day ${x.studyDay ?? '?'})`),
      endOfTreatmentDtc: s.endOfTreatment?.dtc ?? null,
      endOfTreatmentSource: s.endOfTreatment?.source ?? null,
      historyLetter: s.historyLetter,
    })),
  );

  if (format === 'csv') {
    const t = which ?? 'incidence';
    const ae = (rows: typeof listings.saes) => toCsv(rows, AE_COLUMNS);
    let text: string;
    switch (t) {
      case 'incidence':
        text = toCsv(incidenceLong(incidence));
        break;
      case 'ae':
        text = ae((await core.call('safety.aeListing', { snapshotId })).rows);
        break;
      case 'sae':
        text = ae(listings.saes);
        break;
      case 'dlt':
        text = ae(listings.dlts);
        break;
      case 'possible-dlt':
        text = ae(listings.possibleDltsNotFlagged);
        break;
      case 'discontinuation':
        text = ae(listings.discontinuations);
        break;
      case 'deaths':
        text = toCsv(listings.deaths, ['usubjid', 'level', 'dose', 'part', 'deathDtc', 'studyDay', 'sources', 'causes', 'onTreatmentOrAfter']);
        break;
      case 'dlt-table':
        text = toCsv(dltRows);
        break;
      case 'ada':
        text = toCsv(ada.incidence);
        break;
      default: {
        if (response === null) throw new UsageError(responseNote ?? 'no response tables');
        type Summary = { groups?: Record<string, unknown>[]; overall?: Record<string, unknown> };
        const { byLevel, byPart } = response as { byLevel: Summary; byPart: Summary };
        const rows = [byLevel, byPart].flatMap((r, i) =>
          [...(r.groups ?? []), ...(r.overall ? [r.overall] : [])].map((g) => ({ table: i === 0 ? 'response by dose level' : 'response by part', ...flatten(g) })),
        );
        text = toCsv(rows);
      }
    }
    return { ok: true, output: text };
  }

  const all = {
    snapshotId,
    dataCutoff: dlt.dataCutoff,
    incidence: Object.fromEntries(incidence.map(({ name, t }) => [name, t])),
    listings,
    dltTable: {
      history: dlt.history,
      recommendation: decisionOf(dlt.recommendation),
      boin: decisionOf(dlt.boin),
      mtpi2: decisionOf(dlt.mtpi2),
      excluded: dlt.excluded,
      subjects: dltRows,
    },
    ada: {
      boostFold: ada.boostFold,
      present: ada.present,
      titreScale: ada.titreScale,
      isRows: ada.isRows,
      adaRows: ada.adaRows,
      unrecognisedTestcds: ada.unrecognisedTestcds,
      warnings: ada.warnings,
      incidence: ada.incidence,
      subjects: ada.subjects.map((s) => ({ usubjid: s.usubjid, level: s.level, category: s.category, baselineTitre: s.baselineTitre, maxPostTitre: s.maxPostTitre, maxFoldRise: s.maxFoldRise, persistence: s.persistence, nabPositive: s.nabPositive })),
    },
    response,
    notes: [...dlt.notes, ...(responseNote ? [responseNote] : [])],
  };
  const pick: Record<string, unknown> = {
    incidence: all.incidence,
    sae: listings.saes,
    dlt: listings.dlts,
    'possible-dlt': listings.possibleDltsNotFlagged,
    discontinuation: listings.discontinuations,
    deaths: listings.deaths,
    'dlt-table': all.dltTable,
    ada: all.ada,
    response: all.response,
  };
  if (which === 'ae') return { ok: true, output: await core.call('safety.aeListing', { snapshotId }) };
  return { ok: true, output: which ? pick[which] : all };
};

export const safetyCommands: Record<string, Command> = {
  recommend: command(
    `  dosedesk recommend --design 3+3|atd|boin|mtpi2 --levels K --history "1NNN 2NNT" [--no-deescalation] [--no-six-at-mtd]
              [--atd-design 2|3|4] [--atd-handoff expand-trigger-level|next-level] [--target P]
                                                       the escalation rule's decision (JSON: action, nextLevel, continues, ...)
  dosedesk recommend --snapshot ID                     history, DLT-evaluable subjects and the protocol rule's decision (BOIN/mTPI-2 beside)
  dosedesk recommend --snapshot ID --lookahead K       look-ahead: the protocol rule, BOIN and mTPI-2 if the next 1..K (<= 6) evaluable patients
                                                       have 0, 1, 2, ... DLTs (JSON: one entry per outcome path)`,
    {
      snapshot: 'string',
      lookahead: 'string',
      design: 'string',
      levels: 'string',
      history: 'string',
      'no-deescalation': 'boolean',
      'no-six-at-mtd': 'boolean',
      'atd-design': 'string',
      'atd-handoff': 'string',
      target: 'string',
    },
    recommendCmd,
  ),
  tables: command(
    `  dosedesk tables --snapshot ID [--format json|csv] [--table incidence|ae|sae|dlt|possible-dlt|discontinuation|deaths|dlt-table|ada|response|
                                                          related-incidence|ae-action|ae-action-listing|soc-grade|lab-shift|edish|qtc|exposure|cm]
                                                       safety tables (TEAE incidence, listings, DLT table, ADA) and response tables`,
    { snapshot: 'string', format: 'string', table: 'string' },
    tablesCmd,
  ),
};
