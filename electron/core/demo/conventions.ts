// The demo study written the way other sponsors deliver SDTM (pharmaverse/admiral and CDISC-pilot
// conventions), so that the app and the tests meet real-world variation on data whose answers are
// known. The clinical content is the same as the mixed-format demo cut it is made from:
//   PC  plasma samples (PCSPEC PLASMA) plus cycle-1 urine collection intervals (PCSPEC URINE, PCVOL);
//   IS  admiral-style ADA_BAB / ADA_NAB records, titres on a log10 scale in the binding record,
//       "<1.40" for a positive sample below the minimum reportable titre (25, i.e. log10 1.40);
//   TR  LDIAM and LPERP for every target lesion (nodal lesions: LPERP is the short axis), no SUMDIAM,
//       so the sums must be derived by RECIST 1.1 (longest diameter, short axis for nodes);
//   AE  no AETOXGR (severity only, as in the CDISC pilot), and one fatal AE coded AESER = N;
//   DS  EPOCH tells treatment from follow-up disposition, DSSCAT empty;
//   LB  split by category into LBCH and LBHE (SDTMIG §4.1.7), each with DOMAIN = LB.
import type { Cell } from '../readers/types.js';
import type { DemoSnapshot } from './generate.js';
import type { Domain } from './table.js';

const col = (d: Domain, name: string): number => {
  const i = d.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`${d.name} has no column ${name}`);
  return i;
};

function withColumn(d: Domain, name: string, type: 'string' | 'number', label: string, after: string, value: (row: Cell[]) => Cell): Domain {
  const at = col(d, after) + 1;
  const columns = [...d.columns.slice(0, at), { name, type, label }, ...d.columns.slice(at)];
  return { ...d, columns, rows: d.rows.map((r) => [...r.slice(0, at), value(r), ...r.slice(at)]) };
}

function withoutColumn(d: Domain, name: string): Domain {
  const i = col(d, name);
  return { ...d, columns: d.columns.filter((_, j) => j !== i), rows: d.rows.map((r) => r.filter((_, j) => j !== i)) };
}

function renumber(d: Domain, seqVar: string): void {
  const u = col(d, 'USUBJID');
  const s = col(d, seqVar);
  let subject = '';
  let n = 0;
  for (const r of d.rows) {
    if (r[u] !== subject) [subject, n] = [r[u] as string, 0];
    r[s] = ++n;
  }
}

/** Minimum reportable titre of the admiral-style assay: 25 (log10 1.40). */
const LOG_MRT = 1.4;

function convertIs(is: Domain): Domain {
  const [u, tc, tn, orres, orresu, stresc, stresn, stresu, visit] = ['USUBJID', 'ISTESTCD', 'ISTEST', 'ISORRES', 'ISORRESU', 'ISSTRESC', 'ISSTRESN', 'ISSTRESU', 'VISITNUM'].map((c) => col(is, c)) as number[];
  const titre = new Map<string, number>();
  for (const r of is.rows) if (r[tc] === 'ADATITER') titre.set(`${r[u]}|${r[visit]}`, r[stresn] as number);
  const rows: Cell[][] = [];
  for (const r of is.rows) {
    if (r[tc] === 'ADATITER') continue;
    const out = [...r];
    if (r[tc] === 'ADA') {
      out[tc] = 'ADA_BAB';
      out[tn] = 'Binding Antibody';
      const t = titre.get(`${r[u]}|${r[visit]}`);
      if (r[stresc] === 'POSITIVE' && t !== undefined) {
        const log = Math.log10(t);
        const text = log < LOG_MRT ? `<${LOG_MRT.toFixed(2)}` : log.toFixed(2);
        out[orres] = text;
        out[stresc] = text;
        out[stresn] = log < LOG_MRT ? null : Number(log.toFixed(2));
        out[orresu] = 'log10 titer';
        out[stresu] = 'log10 titer';
      }
    } else if (r[tc] === 'NAB') {
      out[tc] = 'ADA_NAB';
      out[tn] = 'Neutralizing Binding Antibody';
    }
    rows.push(out);
  }
  const d = { ...is, rows };
  renumber(d, 'ISSEQ');
  return d;
}

function convertTr(tr: Domain): Domain {
  const [tc, tn, orres, stresc, stresn] = ['TRTESTCD', 'TRTEST', 'TRORRES', 'TRSTRESC', 'TRSTRESN'].map((c) => col(tr, c)) as number[];
  const rows: Cell[][] = [];
  const measured = (r: Cell[], cd: string, name: string, v: number): Cell[] => {
    const o = [...r];
    o[tc] = cd;
    o[tn] = name;
    o[orres] = String(v);
    o[stresc] = String(v);
    o[stresn] = v;
    return o;
  };
  for (const r of tr.rows) {
    const cd = r[tc];
    if (cd === 'SUMDIAM') continue;
    if (cd === 'LDIAM') {
      const v = r[stresn] as number;
      rows.push(r, measured(r, 'LPERP', 'Longest Perpendicular', Math.round(v * 0.6)));
    } else if (cd === 'SAXIS') {
      // a node: the sponsor records its long axis as LDIAM and the short axis as LPERP
      const v = r[stresn] as number;
      rows.push(measured(r, 'LDIAM', 'Longest Diameter', Math.round(v * 1.5) + 2), measured(r, 'LPERP', 'Longest Perpendicular', v));
    } else rows.push(r);
  }
  const d = { ...tr, rows };
  renumber(d, 'TRSEQ');
  return d;
}

/** Cycle-1 urine collections 0–6, 6–12 and 12–24 h after the start of the first infusion. */
function withUrine(pc: Domain): Domain {
  const c = Object.fromEntries(pc.columns.map((x, i) => [x.name, i])) as Record<string, number>;
  const withVol = withColumn(withColumn(pc, 'PCVOL', 'number', 'Volume of Specimen', 'PCLLOQ', () => null), 'PCVOLU', 'string', 'Volume of Specimen Units', 'PCVOL', () => null);
  const v = col(withVol, 'PCVOL');
  const rows: Cell[][] = [];
  const bySubject = new Map<string, Cell[][]>();
  for (const r of withVol.rows) {
    const list = bySubject.get(r[c.USUBJID!] as string) ?? [];
    list.push(r);
    bySubject.set(r[c.USUBJID!] as string, list);
  }
  const shift = (i: number): number => (i >= v ? i + 2 : i);
  for (const [, list] of bySubject) {
    for (const r of list) {
      const o = [...r];
      o[shift(c.PCSPEC!)] = 'PLASMA';
      rows.push(o);
    }
    const eoi = list.find((r) => r[shift(c.PCTPTNUM!)] === 1);
    if (!eoi || eoi[shift(c.PCSTRESN!)] === null) continue;
    const start = Date.parse(`${eoi[shift(c.PCRFTDTC!)] as string}:00Z`);
    const cmax = eoi[shift(c.PCSTRESN!)] as number;
    for (const [from, to, share, volume] of [[0, 6, 0.05, 420], [6, 12, 0.03, 510], [12, 24, 0.02, 880]] as const) {
      const o = [...eoi];
      const conc = Number(((cmax * share * 100_000) / volume).toPrecision(4));
      o[shift(c.PCSPEC!)] = 'URINE';
      o[shift(c.PCORRES!)] = String(conc);
      o[shift(c.PCSTRESC!)] = String(conc);
      o[shift(c.PCSTRESN!)] = conc;
      o[shift(c.PCLLOQ!)] = 0.01;
      o[v] = volume;
      o[v + 1] = 'mL';
      o[shift(c.PCTPT!)] = `${from}-${to} H POST-DOSE START`;
      o[shift(c.PCTPTNUM!)] = to;
      o[shift(c.PCELTM!)] = `PT${to}H`;
      o[shift(c.PCDTC!)] = new Date(start + to * 3600_000).toISOString().slice(0, 16);
      rows.push(o);
    }
  }
  const d = { ...withVol, rows };
  renumber(d, 'PCSEQ');
  return d;
}

function convertAe(ae: Domain): Domain {
  const d = withoutColumn(ae, 'AETOXGR');
  const [out, ser] = [col(d, 'AEOUT'), col(d, 'AESER')];
  const fatal = d.rows.find((r) => r[out] === 'FATAL');
  if (fatal) fatal[ser] = 'N'; // a data query the import must raise
  return d;
}

function convertDs(ds: Domain): Domain {
  const scat = col(ds, 'DSSCAT');
  const d = withColumn(ds, 'EPOCH', 'string', 'Epoch', 'DSSCAT', (r) =>
    r[scat] === 'END OF TREATMENT' ? 'TREATMENT' : r[scat] === 'END OF STUDY' ? 'FOLLOW-UP' : 'SCREENING',
  );
  const s = col(d, 'DSSCAT');
  for (const r of d.rows) r[s] = null;
  return d;
}

function splitLb(lb: Domain): Domain[] {
  const cat = col(lb, 'LBCAT');
  const part = (name: string, label: string, category: string): Domain => {
    const d: Domain = { ...lb, name, label, rows: lb.rows.filter((r) => r[cat] === category).map((r) => [...r]) };
    renumber(d, 'LBSEQ');
    return d;
  };
  return [part('LBCH', 'Laboratory Tests: Chemistry', 'CHEMISTRY'), part('LBHE', 'Laboratory Tests: Hematology', 'HEMATOLOGY')];
}

/** The same snapshot in other sponsors' conventions (see the header of this file). */
export function otherConventions(snap: DemoSnapshot): DemoSnapshot {
  const domains: Record<string, Domain> = {};
  for (const [key, d] of Object.entries(snap.domains)) {
    switch (d.name) {
      case 'IS':
        domains[key] = convertIs(d);
        break;
      case 'TR':
        domains[key] = convertTr(d);
        break;
      case 'PC':
        domains[key] = withUrine(d);
        break;
      case 'PP':
        domains[key] = { ...d, rows: d.rows.map((r) => r.map((v, i) => (d.columns[i]!.name === 'PPSPEC' ? 'PLASMA' : v))) };
        break;
      case 'AE':
        domains[key] = convertAe(d);
        break;
      case 'DS':
        domains[key] = convertDs(d);
        break;
      case 'LB':
        for (const part of splitLb(d)) domains[part.name] = part;
        break;
      default:
        domains[key] = d;
    }
  }
  return { ...snap, domains };
}
