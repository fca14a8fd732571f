// Where SQL lives (issue 13; docs/ARCHITECTURE.md "Where things go"): a feature's handlers
// (electron/core/<feature>/app.ts) decide what to read and write and where a transaction begins; the
// statements themselves are small named functions in that feature's queries.ts. This test fails when a
// handler file prepares or executes SQL itself or holds an SQL statement in a string. The source is
// read with the TypeScript parser, so comments and regular-expression .exec calls do not count.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORE = path.join(ROOT, 'electron/core');

/**
 * Handler files allowed to hold SQL, with the reason. None today: every feature's SQL is in its
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

/** A receiver that is a regular expression (/x/.exec(s), new RegExp(…).exec(s)): RegExp#exec, not SQL. */
function isRegExp(e: ts.Expression): boolean {
  let x = e;
  while (ts.isParenthesizedExpression(x)) x = x.expression;
  return ts.isRegularExpressionLiteral(x) || (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'RegExp');
}

/** The SQL calls and SQL strings of one source text. */
function sqlIn(fileName: string, text: string): Finding[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const at = (n: ts.Node, what: string) => found.push({ line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, text: what });
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && SQL_METHODS.has(n.expression.name.text) && !isRegExp(n.expression.expression)) {
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

const handlerFiles = fs
  .readdirSync(CORE, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(CORE, d.name, 'app.ts')))
  .map((d) => `electron/core/${d.name}/app.ts`)
  .sort();

describe('the detector', () => {
  it('finds prepared and executed SQL and SQL strings', () => {
    const src = [
      "const a = db.prepare('SELECT usubjid FROM rec_dm WHERE snapshot_id = ?').all(1);",
      "ctx.db.exec('DELETE FROM x');",
      'const t = `UPDATE meeting_version SET status = ${s} WHERE meeting_id = ?`;',
      'const u = `INSERT ${"OR IGNORE"} INTO t VALUES (1)`;',
      "db.pragma('journal_mode = WAL');",
    ].join('\n');
    expect(sqlIn('x.ts', src).map((f) => f.line)).toEqual([1, 1, 2, 2, 3, 4, 5]);
  });

  it('ignores regular-expression exec, comments and prose', () => {
    const src = [
      'const m = /entry (\\d+)/.exec(s);',
      "const n = new RegExp('a').exec(s);",
      '// SELECT x FROM y in a comment',
      "throw new Error('select a level from the list');",
      "const label = 'Update settings';",
    ].join('\n');
    expect(sqlIn('x.ts', src)).toEqual([]);
  });
});

describe('feature handlers hold no SQL (it is in the feature’s queries.ts)', () => {
  it('finds the handler files', () => {
    // The features that had SQL in their handlers before it moved; more may be added, none may vanish unnoticed.
    for (const f of ['audit', 'cohorts', 'mapping', 'meetings', 'minutes', 'pk', 'safety', 'snapshots', 'subjects', 'users']) expect(handlerFiles).toContain(`electron/core/${f}/app.ts`);
  });

  for (const file of handlerFiles) {
    it(file, () => {
      const findings = sqlIn(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
      if (EXCEPTIONS.has(file)) return;
      expect(findings.map((f) => `${file}:${f.line} ${f.text}`)).toEqual([]);
    });
  }
});
