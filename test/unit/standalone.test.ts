// The repository stands alone (issue 13): comments in the source cite docs/CLINICAL_RULES.md,
// docs/ARCHITECTURE.md, README.md or the primary literature — never the design notes or rule files
// that live outside the repository ("DESIGN §4", escalation_rules.md, part11.md, ../shared/reference/…),
// which a reader of a plain clone cannot open. Comments are found with the TypeScript parser, so a
// string or identifier that happens to contain such a word (DESIGN_LABELS, forge.md.sha256) is not one.
// Citations of the repository's own docs must point at an anchor that exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Non-test source: what ships, builds or checks the app. Tests may read ../shared (reference data). */
const SOURCE_DIRS = ['shared', 'electron', 'renderer', 'scripts', 'bin'];
const CODE = /\.(ts|tsx|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', 'release']);

interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

const parsed = new Map<string, { line: number; text: string }[]>();

/** Every comment of a JS/TS source with its 1-based line, found by the TypeScript parser (memoised per file and text). */
function commentsOf(fileName: string, text: string): { line: number; text: string }[] {
  const key = `${fileName}\0${text}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const found = parseComments(fileName, text);
  parsed.set(key, found);
  return found;
}

function parseComments(fileName: string, text: string): { line: number; text: string }[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const seen = new Set<number>();
  const out: { line: number; text: string }[] = [];
  const take = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      out.push({ line: sf.getLineAndCharacterOfPosition(r.pos).line + 1, text: text.slice(r.pos, r.end) });
    }
  };
  const visit = (node: ts.Node) => {
    take(ts.getLeadingCommentRanges(text, node.pos));
    take(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(sf)) visit(child);
  };
  visit(sf);
  return out.sort((a, b) => a.line - b.line);
}

/** Citations of things outside the repository: design notes, rule files, reference data paths. */
const OUTSIDE: { re: RegExp; why: string }[] = [
  { re: /\bDESIGN(\.md)?\s*§/, why: 'cites "DESIGN §n" (not in the repository)' },
  { re: /\bDESIGN\.md\b/, why: 'cites DESIGN.md (not in the repository)' },
  { re: /\bDESIGN:/, why: 'cites DESIGN (not in the repository)' },
  { re: /(^|[^A-Za-z0-9_])([a-z0-9]+_)?rules\.md\b/, why: 'cites a rule file outside the repository (escalation_rules.md, nca_rules.md, recist_rules.md …)' },
  { re: /\bpart11\.md\b/, why: 'cites part11.md (outside the repository)' },
  { re: /\bforge\.md\b(?!\.)/, why: 'cites forge.md (outside the repository)' },
  { re: /shared\/reference\b|\breference\/(escalation|nca|recist|part11|binomial|survival|sdtm-xpt)\b/, why: 'cites the reference folder outside the repository' },
  { re: /(^|[\s(`'"])\/work\//, why: 'cites an absolute path of a build machine' },
];

/** Relative paths in a comment that climb out of the repository (from the file's own folder). */
function escapingPaths(file: string, comment: string): string[] {
  const out: string[] = [];
  for (const m of comment.matchAll(/(?:\.\.\/)+[\w.@-]+/g)) {
    const target = path.resolve(path.dirname(path.join(ROOT, file)), m[0]);
    if (path.relative(ROOT, target).startsWith('..')) out.push(m[0]);
  }
  return out;
}

function findOutsideCitations(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  for (const c of commentsOf(file, text)) {
    for (const { re, why } of OUTSIDE) {
      if (re.test(c.text)) found.push({ file, line: c.line, text: c.text.split('\n')[0]!.slice(0, 120), why });
    }
    for (const p of escapingPaths(file, c.text)) found.push({ file, line: c.line, text: p, why: 'a path outside the repository' });
  }
  return found;
}

function walk(dir: string, keep: (f: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, keep, out);
    } else if (keep(e.name)) out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');
const rootConfigs = fs.readdirSync(ROOT).filter((f) => CODE.test(f) || f === '.dependency-cruiser.cjs');
const codeFiles = [...SOURCE_DIRS.flatMap((d) => walk(path.join(ROOT, d), (f) => CODE.test(f))), ...rootConfigs.map((f) => path.join(ROOT, f))].map(rel);
/** Tests may cite the reference data outside the repository; their citations of the repo's docs are checked too. */
const testFiles = walk(path.join(ROOT, 'test'), (f) => CODE.test(f)).map(rel);
const markdownFiles = [...SOURCE_DIRS, 'docs'].flatMap((d) => walk(path.join(ROOT, d), (f) => f.endsWith('.md'))).map(rel);

/** GitHub's heading anchors plus explicit <a id="…"> anchors of a markdown file. */
function anchorsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  for (const m of markdown.matchAll(/<a id="([^"]+)"/g)) ids.add(m[1]!);
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    ids.add(m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return ids;
}

describe('the detector (so that the repository check below cannot pass vacuously)', () => {
  it('flags citations in comments, not in strings or identifiers', () => {
    const src = [
      "const DESIGN_LABELS = { a: 'DESIGN §4' }; // see DESIGN §4",
      '/** Source: escalation_rules.md (a) and part11.md §4. */',
      'export const x = forge.md.sha256.create(); // fine: docs/CLINICAL_RULES.md#nca',
      '// data in ../../../shared/reference/nca/nca_rules.md',
      "const re = /\\/\\/ DESIGN §1/; const s = '// DESIGN §2';",
    ].join('\n');
    const f = findOutsideCitations('shared/nca/example.ts', src);
    expect(f.map((x) => x.line)).toEqual([1, 2, 2, 4, 4, 4]);
    expect(f.filter((x) => x.line === 4).map((x) => x.why)).toContain('a path outside the repository');
  });

  it('accepts relative paths inside the repository and the repository docs', () => {
    const src = '// see ../../docs/CLINICAL_RULES.md#recist and ../dates.ts (RECIST 1.1 §4.4; Storer 1989)\nexport {};';
    expect(findOutsideCitations('shared/efficacy/example.ts', src)).toEqual([]);
  });
});

describe('the repository stands alone', () => {
  it('finds the source files it checks', () => {
    expect(codeFiles).toContain('shared/recist.ts');
    expect(codeFiles).toContain('electron/core/app.ts');
    expect(codeFiles.length).toBeGreaterThan(100);
  });

  it('no comment in non-test source cites DESIGN §n, a rule file or a path outside the repository', () => {
    const findings = codeFiles.flatMap((f) => findOutsideCitations(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(findings.map((x) => `${x.file}:${x.line}: ${x.why}: ${x.text}`)).toEqual([]);
  });

  it('no markdown inside the repository cites DESIGN §n or the rule files outside it', () => {
    const findings: string[] = [];
    for (const f of markdownFiles) {
      fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').forEach((line, i) => {
        for (const { re, why } of OUTSIDE) if (re.test(line)) findings.push(`${f}:${i + 1}: ${why}`);
      });
    }
    expect(findings).toEqual([]);
  });

  it('every citation of docs/CLINICAL_RULES.md, docs/ARCHITECTURE.md or README.md with an anchor (source and tests) points at an existing anchor', () => {
    const docs: Record<string, Set<string>> = {};
    for (const d of ['docs/CLINICAL_RULES.md', 'docs/ARCHITECTURE.md', 'README.md']) docs[d] = anchorsOf(fs.readFileSync(path.join(ROOT, d), 'utf8'));
    const broken: string[] = [];
    let cited = 0;
    for (const f of [...codeFiles, ...testFiles]) {
      for (const c of commentsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8'))) {
        for (const m of c.text.matchAll(/((?:docs\/)?(?:CLINICAL_RULES|ARCHITECTURE)\.md|README\.md)#([\w-]+)/g)) {
          const doc = m[1]!.startsWith('docs/') || m[1] === 'README.md' ? m[1]! : `docs/${m[1]}`;
          cited++;
          if (!docs[doc]!.has(m[2]!)) broken.push(`${f}:${c.line}: ${doc}#${m[2]}`);
        }
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  it('docs/CLINICAL_RULES.md names only functions and files that exist', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/CLINICAL_RULES.md'), 'utf8');
    const missing: string[] = [];
    let named = 0;
    // "Implemented in `file` (`fn`, `fn`)" — each file must exist and define each function or constant.
    for (const m of doc.matchAll(/`((?:shared|electron)\/[\w/.-]+\.ts)` \(([^)]*)\)/g)) {
      const file = path.join(ROOT, m[1]!);
      if (!fs.existsSync(file)) {
        missing.push(m[1]!);
        continue;
      }
      const src = fs.readFileSync(file, 'utf8');
      for (const name of m[2]!.matchAll(/`([A-Za-z_][\w]*)`/g)) {
        named++;
        if (!new RegExp(`(function|const|class|let)\\s+${name[1]}\\b`).test(src)) missing.push(`${m[1]}: ${name[1]}`);
      }
    }
    for (const m of doc.matchAll(/`((?:shared|electron)\/[\w/.-]+)`/g)) if (!fs.existsSync(path.join(ROOT, m[1]!))) missing.push(m[1]!);
    expect(named).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
