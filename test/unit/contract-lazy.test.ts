// The contract's schemas are built on first use (issue 13, "a fast CLI"): loading the contract and
// creating the core build none, and a pure calculation (`dosedesk ci`) builds only what validating
// its own input needs. A lazy schema must validate exactly as the schema it stands for.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { lazySchema, schemasBuilt } from '../../shared/lazySchema';
import { tmpDir } from '../helpers/snapshot';

const dir = tmpDir('dosedesk-contract-lazy-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the contract at start-up', () => {
  it('loading the contract and the CLI and creating the core build no schema; efficacy.binomialCi builds its input alone', async () => {
    // Imported here, after the counter module, so that the count covers the contract's whole load.
    const { contract } = await import('../../shared/contract');
    const { createCore } = await import('../../electron/core/app');
    await import('../../electron/core/cli'); // every command's module, as `dosedesk` loads them
    expect(schemasBuilt()).toBe(0);
    const dbPath = path.join(dir, 'absent', 'x.sqlite');
    const core = createCore({ dbPath, lazy: true });
    expect(schemasBuilt()).toBe(0);
    // R: binom.test(3, 10)$conf.int = 0.06673951 0.65245285 (Clopper & Pearson 1934, exact).
    const r = await core.call('efficacy.binomialCi', { x: 3, n: 10 });
    expect(r.lower).toBeCloseTo(0.06673951, 7);
    expect(r.upper).toBeCloseTo(0.65245285, 7);
    // The input schema of efficacy.binomialCi: one build of about 70 methods' inputs and outputs.
    expect(schemasBuilt()).toBe(1);
    expect(Object.keys(contract).length).toBeGreaterThan(60);
    // Another method's input had not been built: reading it builds it (and its named parts) now.
    const importInput = contract['snapshot.import'].input;
    expect(schemasBuilt()).toBeGreaterThan(1);
    // Built once, the same schema every time.
    expect(contract['snapshot.import'].input).toBe(importInput);
    // Bad input is still refused with the located zod message.
    await expect(core.call('efficacy.binomialCi', { x: 11, n: 10 })).rejects.toThrow(/efficacy\.binomialCi: x: x must not exceed n/);
    await expect(core.call('efficacy.binomialCi', { x: 1.5, n: 10 })).rejects.toThrow(/x: Invalid input: expected int, received number/);
    core.close();
    expect(fs.existsSync(path.dirname(dbPath))).toBe(false);
  });
});

describe('every method of the contract', () => {
  it('builds its input and output schemas, and they parse (an empty input is answered, not thrown)', async () => {
    const { contract } = await import('../../shared/contract');
    for (const [name, def] of Object.entries(contract)) {
      expect(() => def.input.safeParse({}), name).not.toThrow();
      expect(() => def.output.safeParse({}), name).not.toThrow();
      // An output is never {} (every method answers fields): the schema is real, not an empty stand-in.
      expect(def.output.safeParse({}).success, name).toBe(false);
    }
  });
});

describe('lazySchema', () => {
  const eager = () =>
    z.object({
      usubjid: z.string().min(1),
      level: z.number().int().nullable(),
      session: z.string().min(16).optional(),
      part: z.enum(['escalation', 'expansion']),
    });

  it('builds nothing until first use, then once; validates, defaults and reports issues as the eager schema', () => {
    let builds = 0;
    const Part = lazySchema(() => {
      builds++;
      return z.enum(['escalation', 'expansion']);
    });
    const Session = lazySchema(() => z.string().min(16).optional());
    const Row = lazySchema(() => z.object({ usubjid: z.string().min(1), level: z.number().int().nullable(), session: Session, part: Part }));
    const Rows = z.array(Row); // nesting a lazy schema does not build it
    expect(builds).toBe(0);
    const good = { usubjid: 'S-01', level: 2, part: 'expansion' };
    expect(Rows.parse([good])).toEqual([good]);
    expect(builds).toBe(1);
    expect(Part.options).toEqual(['escalation', 'expansion']);
    expect(builds).toBe(1);
    const bad = { usubjid: '', level: 1.5, session: 'short', part: 'dose' };
    const lazyIssues = Row.safeParse(bad).error?.issues;
    expect(lazyIssues).toHaveLength(4);
    expect(lazyIssues).toEqual(eager().safeParse(bad).error?.issues);
    // An absent optional key stays absent (optionality is read through the proxy).
    expect('session' in Row.parse(good)).toBe(false);
    expect(Object.keys(Row.shape)).toEqual(['usubjid', 'level', 'session', 'part']);
    expect(Row instanceof z.ZodObject).toBe(true);
    expect(Row.extend({ extra: z.boolean() }).parse({ ...good, extra: true })).toEqual({ ...good, extra: true });
    const withDefault = lazySchema(() => z.object({ level: z.number().gt(0).lt(1).default(0.95) }));
    expect(withDefault.parse({})).toEqual({ level: 0.95 });
  });
});
