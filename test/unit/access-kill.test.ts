import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/app';
import { verifyAuditChain } from '../../electron/core/audit/log';
import { cutSnapshot, generateStudy, HORIZON, writeSnapshot } from '../../electron/core/demo/generate';
import { tmpDir } from '../helpers/snapshot';

// Issue 11: "an import can commit without an audit entry" (the entry was written in a second
// transaction after the snapshot's; a kill between them left an unaudited snapshot). Now the importer
// writes the entry inside the import's own transaction (21 CFR 11.10(e): the audit trail records
// every creation of a record). A real node process imports a generated CSV snapshot and is killed
// with SIGKILL at several points; afterwards the database holds the snapshot AND its entry, or neither.

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
let src: string;

beforeAll(async () => {
  dir = tmpDir('dosedesk-kill-');
  src = path.join(dir, 'snap');
  // ~150 subjects in CSV: long enough an import to be killed in the middle, short enough for npm test.
  await writeSnapshot(src, cutSnapshot(generateStudy({ subjects: 150 }), HORIZON), { format: 'csv' });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the child until `killWhen` matches a line it printed (then SIGKILL), or until it exits. */
function runChild(dbPath: string, killWhen: (line: string, seen: string[]) => boolean): Promise<{ killed: boolean; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/import-child.ts'), dbPath, src], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let killed = false;
    let buf = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not finish in 90 s: ${lines.join(' | ')} ${err}`));
    }, 90_000);
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (!killed && killWhen(line, lines)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ killed, lines });
    });
  });
}

function state(dbPath: string) {
  const core = createCore({ dbPath });
  try {
    const snapshots = (core.ctx.db.prepare('SELECT snapshot_id FROM snapshot ORDER BY snapshot_id').all() as { snapshot_id: number }[]).map((r) => String(r.snapshot_id));
    const audited = (core.ctx.db.prepare("SELECT entity_id FROM audit_log WHERE action = 'import' ORDER BY seq").all() as { entity_id: string }[]).map((r) => r.entity_id);
    const rows = (core.ctx.db.prepare('SELECT count(*) n FROM rec_dm').get() as { n: number }).n;
    return { snapshots, audited, rows, chainOk: verifyAuditChain(core.ctx.db).ok };
  } finally {
    core.close();
  }
}

describe('kill -9 during an import', () => {
  const points: [string, (line: string, seen: string[]) => boolean][] = [
    ['while hashing', (l) => l.startsWith('hashing')],
    ['half-way through the files', (l) => l.startsWith('reading') && Number(l.split(' ')[1]) >= 5],
    ['as it commits', (l) => l.startsWith('committing')],
    ['just after the commit', (l) => l.startsWith('done')],
  ];
  const outcomes: string[] = [];

  for (const [name, when] of points) {
    it(`${name}: the snapshot and its audit entry both, or neither`, async () => {
      const dbPath = path.join(dir, `${name.replace(/\W+/g, '-')}.sqlite`);
      const { killed, lines } = await runChild(dbPath, when);
      expect(killed, `the child was killed (it printed: ${lines.slice(-3).join(' | ')})`).toBe(true);
      const s = state(dbPath);
      expect(s.audited).toEqual(s.snapshots);
      expect(s.chainOk).toBe(true);
      if (s.snapshots.length === 0) expect(s.rows).toBe(0);
      outcomes.push(s.snapshots.length ? 'both' : 'neither');
      // nothing half-done either: a fresh import of the same files is not taken for a duplicate of nothing
      if (s.snapshots.length === 0 && outcomes.length === 1) {
        const again = await runChild(dbPath, () => false);
        expect(again.lines.at(-1)).toBe('result imported');
        const t = state(dbPath);
        expect(t.snapshots).toHaveLength(1);
        expect(t.audited).toEqual(t.snapshots);
      }
    }, 180_000);
  }

  it('the kills fell on both sides of the commit', () => {
    expect(outcomes[0]).toBe('neither');
    expect(outcomes.at(-1)).toBe('both');
  });
});
