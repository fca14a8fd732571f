import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app';
import type { Domain } from '../../electron/core/demo/table';
import { writeCsvFile } from '../../electron/core/demo/write';
import { writeDatasetJson, writeNdjson } from '../../electron/core/readers/datasetjson-write';
import { writeXpt } from '../../electron/core/readers/xpt-write';
import type { ImportIssue } from '../../shared/contract';
import { table } from '../helpers/conventions';
import { dbFingerprint, tmpDir } from '../helpers/snapshot';
import { buildZip, type ZipSpec } from '../helpers/zip';

// Seeded fuzzing of the snapshot import (issue 11): mutated snapshots in CSV, SAS XPT, Dataset-JSON,
// NDJSON and zips (byte flips, truncations, inserted and duplicated bytes, bad encodings, deep
// nesting, long lines, duplicated / removed zip entries, CRC corruption, huge declared sizes).
// Every outcome must be an import or a refusal whose errors name a file and a place in it; no input
// may take over 10 s; a refusal leaves the database exactly as it was.
// The seed is printed; DOSEDESK_FUZZ_SEED=<n> replays or varies a run.

const SEED = Number(process.env.DOSEDESK_FUZZ_SEED ?? 20261203);
const PER_FAMILY = 52; // × 6 families = 312 mutated snapshots
const PER_INPUT_MS = 10_000;

/** mulberry32: a small, well-mixed 32-bit PRNG (Tommy Ettinger, public domain). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A small first-in-human snapshot written by hand in the CDISC pilot's style (SDTMIG 3.x variable
// order; SUPPAE carrying the DLT flag as pharmaverse's sdtm examples carry QNAM/QVAL).
const DOMAINS: Domain[] = [
  table('DM', ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFXSTDTC', 'AGE', 'SEX', 'ARMCD', 'ARM'], [
    ['FZ-01', 'DM', 'FZ-01-001', '001', '2025-01-06', 61, 'F', 'L1', '0.01 mg/kg'],
    ['FZ-01', 'DM', 'FZ-01-002', '002', '2025-02-03', 55, 'M', 'L2', '0.03 mg/kg'],
    ['FZ-01', 'DM', 'FZ-01-003', '003', '2025-03-03', 70, 'M', 'L2', '0.03 mg/kg'],
  ]),
  table('EX', ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC'], [
    ['FZ-01', 'EX', 'FZ-01-001', 1, 'DRUG', 0.01, 'mg/kg', '2025-01-06T09:00'],
    ['FZ-01', 'EX', 'FZ-01-002', 1, 'DRUG', 0.03, 'mg/kg', '2025-02-03T09:00'],
    ['FZ-01', 'EX', 'FZ-01-003', 1, 'DRUG', 0.03, 'mg/kg', '2025-03-03T09:00'],
  ]),
  table('AE', ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AEDECOD', 'AEBODSYS', 'AETOXGR', 'AESER', 'AEREL', 'AESTDTC'], [
    ['FZ-01', 'AE', 'FZ-01-001', 1, 'Nausea', 'Nausea', 'Gastrointestinal disorders', '1', 'N', 'RELATED', '2025-01-08'],
    ['FZ-01', 'AE', 'FZ-01-002', 1, 'Neutropenia', 'Neutropenia', 'Blood and lymphatic system disorders', '3', 'Y', 'RELATED', '2025-02-10'],
    ['FZ-01', 'AE', 'FZ-01-003', 1, 'Fatigue', 'Fatigue', 'General disorders and administration site conditions', '2', 'N', 'NOT RELATED', '2025-03-09'],
  ]),
  table('SUPPAE', ['STUDYID', 'RDOMAIN', 'USUBJID', 'IDVAR', 'IDVARVAL', 'QNAM', 'QLABEL', 'QVAL'], [
    ['FZ-01', 'AE', 'FZ-01-002', 'AESEQ', '1', 'AEDLT', 'Dose-limiting toxicity', 'Y'],
  ]),
];

type Format = 'csv' | 'json' | 'ndjson' | 'xpt';

/** study.json beside the domains (README.md#studyjson): what SDTM does not carry. Mutated in the CSV family. */
const STUDY_JSON = Buffer.from(
  JSON.stringify(
    {
      studyId: 'FZ-01',
      title: 'Fuzz fixture, first-in-human dose escalation',
      dataCutoff: '2025-04-01',
      doseUnit: 'mg/kg',
      doseLevels: [
        { level: 1, dose: 0.01, label: '0.01 mg/kg' },
        { level: 2, dose: 0.03, label: '0.03 mg/kg' },
      ],
      dltWindowDays: 21,
      ada: { titreScale: 'log10', bindingTestcds: ['ADA'] },
    },
    null,
    2,
  ),
);

function encode(d: Domain, format: Format, scratch: string): Buffer {
  const opts = { label: d.label, creationDateTime: '2026-01-01T00:00:00', studyOID: 'FZ-01', originator: 'DoseDesk fuzz fixture' };
  if (format === 'csv') {
    const f = path.join(scratch, `${d.name}.csv`);
    writeCsvFile(f, d);
    return fs.readFileSync(f);
  }
  if (format === 'json') return Buffer.from(writeDatasetJson(d.name, d.columns, d.rows, opts));
  if (format === 'ndjson') return Buffer.from(writeNdjson(d.name, d.columns, d.rows, opts));
  return Buffer.from(writeXpt(d.name, d.columns, d.rows, { label: d.label, created: new Date('2026-01-01T00:00:00Z') }));
}

type Files = Record<string, Buffer>;
type Rand = () => number;

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;
const splice = (b: Buffer, at: number, del: number, ins: Uint8Array = new Uint8Array(0)): Buffer =>
  Buffer.concat([b.subarray(0, at), Buffer.from(ins), b.subarray(Math.min(b.length, at + del))]);

/** Byte-level mutations of one file; each returns the mutated bytes and a label. */
const FILE_MUTATIONS: Record<string, (b: Buffer, r: Rand, format: Format) => Buffer> = {
  flip: (b, r) => {
    const out = Buffer.from(b);
    for (let k = 1 + int(r, 4); k > 0; k--) out[int(r, out.length)]! ^= 1 + int(r, 255);
    return out;
  },
  truncate: (b, r) => b.subarray(0, int(r, b.length)),
  insert: (b, r) => splice(b, int(r, b.length + 1), 0, Buffer.from(Array.from({ length: 1 + int(r, 16) }, () => int(r, 256)))),
  delete: (b, r) => splice(b, int(r, b.length), 1 + int(r, 32)),
  duplicate: (b, r) => {
    const from = int(r, b.length);
    const chunk = b.subarray(from, from + 1 + int(r, 200));
    return splice(b, int(r, b.length + 1), 0, chunk);
  },
  badEncoding: (b, r) => splice(b, int(r, b.length + 1), 0, Buffer.from(pick(r, [[0xe9], [0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]))),
  deepNesting: (b, r, format) => {
    // Unbalanced, or balanced (valid JSON that JSON.parse accepts but nothing may recurse over).
    const depth = 50_000 + int(r, 200_000);
    const nest = r() < 0.5 ? '['.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
    return format === 'json' || format === 'ndjson'
      ? splice(b, Math.max(0, b.lastIndexOf('[') + 1 - int(r, 2) * 30), 0, Buffer.from(nest + (r() < 0.5 ? ',' : '')))
      : splice(b, int(r, b.length + 1), 0, Buffer.from('{['.repeat(20_000)));
  },
  longLine: (b, r) => splice(b, int(r, b.length + 1), 0, Buffer.alloc((1 << 20) + int(r, 3 << 20), pick(r, [0x78, 0x22, 0x2c, 0x20]))),
  blankLines: (b, r) => splice(b, int(r, b.length + 1), 0, Buffer.alloc(1 + int(r, 100_000), pick(r, [0x0a, 0x0d]))),
};

/** Zip-level mutations: of the archive's bytes or of its structure. */
const ZIP_MUTATIONS: Record<string, (specs: ZipSpec[], r: Rand) => Buffer> = {
  flip: (s, r) => FILE_MUTATIONS.flip!(buildZip(s).bytes, r, 'csv'),
  truncate: (s, r) => FILE_MUTATIONS.truncate!(buildZip(s).bytes, r, 'csv'),
  insert: (s, r) => FILE_MUTATIONS.insert!(buildZip(s).bytes, r, 'csv'),
  crc: (s, r) => {
    const z = buildZip(s);
    const e = pick(r, z.entries);
    const out = Buffer.from(z.bytes);
    out.writeUInt32LE((out.readUInt32LE(e.cdOffset + 16) ^ (1 + int(r, 0xfffffffe))) >>> 0, e.cdOffset + 16);
    return out;
  },
  hugeSize: (s, r) => {
    const k = int(r, s.length);
    return buildZip(s.map((x, i) => (i === k ? { ...x, size: pick(r, [0xffffffff, 0x7fffffff, 3 * 1024 ** 3, 1024 ** 3 + 1, (x.data.length * 1000) >>> 0]) } : x))).bytes;
  },
  wrongSize: (s, r) => {
    const k = int(r, s.length);
    return buildZip(s.map((x, i) => (i === k ? { ...x, size: Math.max(0, x.data.length + pick(r, [-1, 1, -10, 100])) } : x))).bytes;
  },
  duplicateEntry: (s, r) => {
    const k = int(r, s.length);
    return buildZip([...s.slice(0, k + 1), s[k]!, ...s.slice(k + 1)]).bytes;
  },
  removeEntry: (s, r) => buildZip(s.filter((_, i) => i !== int(r, s.length))).bytes,
  removeFromDirectory: (s, r) => {
    const z = buildZip(s);
    const k = int(r, z.entries.length);
    const cd = z.bytes.subarray(z.cdOffset, z.eocdOffset);
    const start = z.entries[k]!.cdOffset - z.cdOffset;
    const end = k + 1 < z.entries.length ? z.entries[k + 1]!.cdOffset - z.cdOffset : cd.length;
    const newCd = Buffer.concat([cd.subarray(0, start), cd.subarray(end)]);
    const eocd = Buffer.from(z.bytes.subarray(z.eocdOffset));
    eocd.writeUInt16LE(s.length - 1, 8);
    eocd.writeUInt16LE(s.length - 1, 10);
    eocd.writeUInt32LE(newCd.length, 12);
    return Buffer.concat([z.bytes.subarray(0, z.cdOffset), newCd, eocd]);
  },
  corruptDeflate: (s, r) => {
    const k = int(r, s.length);
    return buildZip(
      s.map((x, i) => {
        if (i !== k) return x;
        const d = Buffer.from(zlib.deflateRawSync(x.data));
        const m = pick(r, ['flip', 'truncate', 'insert'] as const);
        return { ...x, method: 8, compressed: FILE_MUTATIONS[m]!(d, r, 'csv') };
      }),
    ).bytes;
  },
  mutatedMember: (s, r) => {
    // A well-formed zip around a damaged domain file.
    const k = int(r, s.length);
    const format = (path.extname(s[k]!.name).slice(1) || 'csv') as Format;
    const m = pick(r, ['flip', 'truncate', 'insert', 'badEncoding', 'deepNesting', 'blankLines'] as const);
    return buildZip(s.map((x, i) => (i === k ? { ...x, data: FILE_MUTATIONS[m]!(Buffer.from(x.data), r, format) } : x))).bytes;
  },
  bomb: (s, r) => {
    // An honest entry of 16-48 MiB of one repeated byte (a few dozen KB deflated): the zip layer
    // lets it through (under the 1 GiB cap); the reader must refuse its endless line quickly.
    // (readers-limits.test.ts has the 300 MiB one.)
    const size = (16 + int(r, 32)) << 20;
    const data = Buffer.alloc(size, pick(r, [0x78, 0x20, 0x22]));
    return buildZip([...s.filter((x) => x.name !== 'ae.csv'), { name: 'ae.csv', data, method: 8 }]).bytes;
  },
};

/** Problems that concern a whole file (or the snapshot), where the file is the location. */
const WHOLE_FILE = [
  /^a DM domain listing every subject$/,
  /^one file per domain$/,
  /^at least one SDTM domain file$/,
  /^\d+ rows \(the "records" attribute\)$/,
  /^a file named after its SDTM domain/,
];

/** A refusal's errors each name a file and a place in it (or concern that whole file). */
function located(e: ImportIssue): boolean {
  if (!e.file || e.code === 'internal') return false;
  if (e.row !== null || (e.line ?? null) !== null || e.column !== null || /, (byte \d+|entry [^,:]+)[,:]/.test(e.message)) return true;
  return WHOLE_FILE.some((re) => re.test(e.expected));
}

async function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${label}: no outcome within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

let dir: string;
let core: Core;
const tally = { imported: 0, duplicate: 0, failed: 0 };
beforeAll(() => {
  dir = tmpDir('dosedesk-fuzz-');
  console.log(`fuzz-import seed ${SEED} (set DOSEDESK_FUZZ_SEED to change it)`);
});
afterAll(() => {
  console.log(`fuzz-import seed ${SEED}: ${JSON.stringify(tally)}`);
  fs.rmSync(dir, { recursive: true, force: true });
});
// One database per family, so that the fingerprint taken around each input stays small.
let family = 0;
beforeEach(() => {
  core = createCore({ dbPath: path.join(dir, `db-${++family}.sqlite`), user: 'fuzz' });
});
afterEach(() => core.close());

let n = 0;
async function check(label: string, write: (target: string) => string): Promise<void> {
  const target = path.join(dir, `in-${++n}`);
  const p = write(target);
  const before = dbFingerprint(core.ctx.db);
  const started = Date.now();
  const r = await withTimeout(core.call('snapshot.import', { path: p }), PER_INPUT_MS, label);
  const ms = Date.now() - started;
  if (ms > Number(process.env.FUZZ_SLOW_MS ?? 2000)) console.log(`slow: ${label} ${ms} ms`);
  tally[r.status as keyof typeof tally]++;
  expect(['imported', 'duplicate', 'failed'], label).toContain(r.status);
  expect(ms, label).toBeLessThan(PER_INPUT_MS);
  if (r.status === 'failed') {
    expect(r.errors.length, label).toBeGreaterThan(0);
    for (const e of r.errors) expect(located(e), `${label}: ${e.code} ${e.message}`).toBe(true);
    expect(dbFingerprint(core.ctx.db), `${label}: database changed by a refused import`).toBe(before);
  }
  fs.rmSync(p, { recursive: true, force: true });
}

describe(`fuzzed snapshot import (seed ${SEED})`, () => {
  const scratch = () => fs.mkdtempSync(path.join(dir, 'enc-'));
  for (const format of ['csv', 'xpt', 'json', 'ndjson'] as const) {
    it(`${PER_FAMILY} mutated ${format} snapshots: imported or refused with a location, never a crash or a partial write`, async () => {
      const r = prng(SEED ^ format.length * 0x9e3779b1 ^ format.charCodeAt(0));
      const s = scratch();
      const base: Files = Object.fromEntries(DOMAINS.map((d) => [`${d.name.toLowerCase()}.${format}`, encode(d, format, s)]));
      if (format === 'csv') base['study.json'] = STUDY_JSON;
      const names = Object.keys(base);
      const mutations = Object.keys(FILE_MUTATIONS).filter((m) => format !== 'xpt' || m !== 'blankLines');
      for (let k = 0; k < PER_FAMILY; k++) {
        const m = pick(r, mutations);
        // AE most often: the domain whose loss changed the review's recommendation.
        const victim = r() < 0.5 ? `ae.${format}` : pick(r, names);
        const bytes = FILE_MUTATIONS[m]!(base[victim]!, r, victim.endsWith('.json') ? 'json' : format);
        await check(`${format} #${k} ${m} ${victim}`, (t) => {
          fs.mkdirSync(t);
          for (const [name, b] of Object.entries(base)) fs.writeFileSync(path.join(t, name), name === victim ? bytes : b);
          return t;
        });
      }
    }, 90_000);
  }

  for (const mixed of [false, true]) {
    it(`${PER_FAMILY} mutated zips (${mixed ? 'mixed formats' : 'CSV'}): whole or refused`, async () => {
      const r = prng(SEED ^ (mixed ? 0x5bd1e995 : 0x1b873593));
      const s = scratch();
      const formats: Format[] = mixed ? ['xpt', 'json', 'ndjson', 'csv'] : ['csv', 'csv', 'csv', 'csv'];
      const specs: ZipSpec[] = DOMAINS.map((d, i) => ({
        name: `${d.name.toLowerCase()}.${formats[i]}`,
        data: encode(d, formats[i]!, s),
        method: i % 2 === 0 ? 8 : 0,
      }));
      const mutations = Object.keys(ZIP_MUTATIONS);
      for (let k = 0; k < PER_FAMILY; k++) {
        // The bomb is slow to build (inflating it is the point): a few per run.
        let m = pick(r, mutations);
        if (m === 'bomb' && k % 4 !== 0) m = 'flip';
        const bytes = ZIP_MUTATIONS[m]!(specs, r);
        await check(`zip${mixed ? ' mixed' : ''} #${k} ${m}`, (t) => {
          fs.writeFileSync(`${t}.zip`, bytes);
          return `${t}.zip`;
        });
      }
    }, 120_000);
  }

  it('ran at least 300 mutated snapshots', () => {
    expect(tally.imported + tally.duplicate + tally.failed).toBeGreaterThanOrEqual(300);
  });
});
