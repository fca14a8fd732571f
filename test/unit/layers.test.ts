// Where SQL lives (issue 13; docs/ARCHITECTURE.md "Where things go"): a feature's handlers
// (electron/core/<feature>/app.ts) decide what to read and write and where a transaction begins; the
// statements themselves are small named functions in that feature's queries.ts. This test fails when any
// file of a feature folder other than queries.ts (handlers, rules, mapping entries, accounts, audit)
// prepares or executes SQL itself or holds an SQL statement in a string. The source is
// read with the TypeScript parser, so comments and regular-expression .exec calls do not count.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORE = path.join(ROOT, 'electron/core');

/**
 * Feature files (other than queries.ts) allowed to hold SQL, with the reason. None today: every feature's SQL is in its
 * queries.ts. An entry added here needs a reason a reviewer accepts.
 */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map();

/** better-sqlite3 methods that run SQL given as text (db.prepare, db.exec, db.pragma). */
const SQL_METHODS = new Set(['prepare', 'exec', 'pragma']);
/** An SQL statement in a string: SELECT … FROM, INSERT … INTO, UPDATE … SET, DELETE … FROM (upper case, as the code writes SQL). */
const SQL_TEXT = /\b(SELECT\b[\s\S]*\bFROM|INSERT\b[\s\S]*\bINTO|UPDATE\b[\s\S]*\bSET|DELETE\b[\s\S]*\bFROM)\b/;

interface Finding {
  line: number;
  text: string;
}

/**
 * A receiver that is the database: `db`, `ctx.db`, `core.ctx.db` (the code names the better-sqlite3
 * handle db everywhere). Other receivers of .prepare/.exec are not SQL: a regular expression
 * (`re.exec(s)`, `/x/.exec(s)`) or the PDF font builder (`fb.prepare(texts)`). SQL handed to any other
 * receiver is still found by its text below.
 */
function isDb(e: ts.Expression): boolean {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
  if (ts.isIdentifier(x)) return x.text === 'db';
  return ts.isPropertyAccessExpression(x) && x.name.text === 'db';
}

/** The SQL calls and SQL strings of one source text. */
function sqlIn(fileName: string, text: string): Finding[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const at = (n: ts.Node, what: string) => found.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, text: what });
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && SQL_METHODS.has(n.expression.name.text) && isDb(n.expression.expression)) {
      at(n, `.${n.expression.name.text}(`);
    }
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && SQL_TEXT.test(n.text)) at(n, n.text.slice(0, 80));
    if (ts.isTemplateExpression(n)) {
      // The statement's words may sit in different parts of a template (`SELECT ${cols} FROM …`).
      const whole = n.head.text + n.templateSpans.map((s) => ` x ${s.literal.text}`).join('');
      if (SQL_TEXT.test(whole)) at(n, whole.slice(0, 80));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/**
 * Folders of electron/core that are not features, so hold SQL of their own, with the reason:
 * - store/: the storage layer (migrations, opening the database, pragmas), below every feature.
 * - import/: the importer's bulk insert of a snapshot's records, one transaction, driven by the table layout.
 * - readers/: file readers (CSV, Dataset-JSON, XPT); no database; their .exec calls are regular expressions.
 * - demo/: the demo-study generator writes SDTM files, not the database.
 * - queries/: shared read queries used by several features; it is itself a queries module.
 */
const NOT_FEATURES: ReadonlyMap<string, string> = new Map([
  ['store', 'storage layer: migrations and opening the database'],
  ['import', 'storage layer: the importer’s bulk insert'],
  ['readers', 'file readers, no database'],
  ['demo', 'demo-study file generator, no database'],
  ['queries', 'shared queries module'],
]);

/** Every .ts file under a folder (recursively), repository-relative. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) return tsFiles(rel);
    return d.name.endsWith('.ts') ? [rel] : [];
  });
}

const featureDirs = fs
  .readdirSync(CORE, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_FEATURES.has(d.name))
  .map((d) => d.name)
  .sort();

const handlerFiles = featureDirs.filter((d) => fs.existsSync(path.join(CORE, d, 'app.ts'))).map((d) => `electron/core/${d}/app.ts`);

/** Every feature file except queries.ts: handlers and the rules they call hold no SQL. */
const featureFiles = featureDirs
  .flatMap((d) => tsFiles(`electron/core/${d}`))
  .filter((f) => path.basename(f) !== 'queries.ts')
  .sort();

describe('the detector', () => {
  it('finds prepared and executed SQL and SQL strings', () => {
    const src = [
      "const a = db.prepare('SELECT usubjid FROM rec_dm WHERE snapshot_id = ?').all(1);",
      "ctx.db.exec('DELETE FROM x');",
      'const t = `UPDATE meeting_version SET status = ${s} WHERE meeting_id = ?`;',
      'const u = `INSERT ${"OR IGNORE"} INTO t VALUES (1)`;',
      "db.pragma('journal_mode = WAL');",
      'const n = core.ctx.db.prepare(sql).get();',
      'db\n  .prepare(sql);',
    ].join('\n');
    expect(sqlIn('x.ts', src).map((f) => f.line)).toEqual([1, 1, 2, 2, 3, 4, 5, 6, 7]);
  });

  it('ignores regular-expression exec, comments and prose', () => {
    const src = [
      'const m = /entry (\\d+)/.exec(s);',
      "const n = new RegExp('a').exec(s);",
      '// SELECT x FROM y in a comment',
      "throw new Error('select a level from the list');",
      "const label = 'Update settings';",
      'for (let m = re.exec(text); m; m = re.exec(text)) {}',
      'await fb.prepare(strings);',
    ].join('\n');
    expect(sqlIn('x.ts', src)).toEqual([]);
  });
});

describe('feature files hold no SQL (it is in the feature’s queries.ts)', () => {
  it('finds the handler files', () => {
    // The features that had SQL in their handlers before it moved; more may be added, none may vanish unnoticed.
    for (const f of ['audit', 'cohorts', 'mapping', 'meetings', 'minutes', 'pk', 'safety', 'snapshots', 'subjects', 'users']) expect(handlerFiles).toContain(`electron/core/${f}/app.ts`);
    // Files beside the handlers that held SQL before it moved to queries.ts.
    for (const f of ['users/accounts.ts', 'users/settings.ts', 'audit/anchor.ts', 'audit/log.ts', 'minutes/authority.ts', 'pk/choices.ts', 'safety/checks.ts', 'mapping/import.ts']) expect(featureFiles).toContain(`electron/core/${f}`);
  });

  for (const file of featureFiles) {
    it(file, () => {
      const findings = sqlIn(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
      if (EXCEPTIONS.has(file)) return;
      expect(findings.map((f) => `${file}:${f.line} ${f.text}`)).toEqual([]);
    });
  }
});
