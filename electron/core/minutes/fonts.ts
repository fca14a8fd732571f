/**
 * Every script in the minutes (issue 11 "Trust", item 9): text outside WinAnsi (the document fonts,
 * DOCUMENT_FONTS below, draw WinAnsi text) is drawn with fallback fonts found at run time and embedded as
 * subsets (pdf-lib + @pdf-lib/fontkit; ISO 32000-1 §9.7 Type0/CIDFont with a ToUnicode CMap, so the
 * text stays searchable and extractable): Droid Sans Fallback (Chinese, Japanese, Korean; Debian
 * fonts-droid-fallback), Noto Sans Arabic / Hebrew / Devanagari / Thai / … (fonts-noto-core), DejaVu Sans
 * (fonts-dejavu-core) for Cyrillic, Greek and symbols. Looked up in $DOSEDESK_FONT_DIR, the shipped
 * resources/fonts folder ($DOSEDESK_RESOURCES, Electron's resourcesPath, the checkout), then the
 * Debian font folders (/usr/share/fonts/{truetype,opentype}/…).
 *
 * What no font covers is never a silent "?": it is printed as a visible placeholder with its code
 * point, e.g. ⟨U+1F600⟩. Bidirectional embedding/override/isolate controls (U+202A–U+202E,
 * U+2066–U+2069) are shown the same way, never obeyed, so they cannot reorder what a signer reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import { hasExplicitWinAnsi, isWinAnsi, toWinAnsi } from './text.js';
import { currentResourcesDir } from '../paths.js';

/** U+202A–U+202E (LRE, RLE, PDF, LRO, RLO) and U+2066–U+2069 (LRI, RLI, FSI, PDI): shown, not obeyed. */
export const isBidiControl = (cp: number): boolean => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);

/** Variation selectors (U+FE00–FE0F) only choose a presentation (text / emoji) of the character before. */
const isVariationSelector = (cp: number): boolean => cp >= 0xfe00 && cp <= 0xfe0f;

export const codePointLabel = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

interface FontFile {
  /** Shown in errors and the README. */
  name: string;
  file: string;
  /** For a TrueType/OpenType collection (.ttc): which face. */
  face?: number;
}

/** Fallback fonts in order of preference (the first that has a glyph draws the character). */
const FALLBACKS: readonly { name: string; files: readonly string[]; face?: number }[] = [
  { name: 'DejaVu Sans', files: ['DejaVuSans.ttf', 'dejavu/DejaVuSans.ttf'] },
  // CJK: Droid Sans Fallback (TrueType outlines). Not Noto Sans CJK: it is a CID-keyed CFF font, and
  // fontkit's subset of it is an invalid embedded font (poppler: "Embedded font file may be invalid").
  { name: 'Droid Sans Fallback', files: ['DroidSansFallback.ttf'] }, // has Hangul
  { name: 'Droid Sans Fallback Full', files: ['DroidSansFallbackFull.ttf', 'droid/DroidSansFallbackFull.ttf'] },
  { name: 'Noto Sans Arabic', files: ['NotoSansArabic-Regular.ttf', 'noto/NotoSansArabic-Regular.ttf'] },
  { name: 'Noto Sans Hebrew', files: ['NotoSansHebrew-Regular.ttf', 'noto/NotoSansHebrew-Regular.ttf'] },
  { name: 'Noto Sans Devanagari', files: ['NotoSansDevanagari-Regular.ttf', 'noto/NotoSansDevanagari-Regular.ttf'] },
  { name: 'Noto Sans Thai', files: ['NotoSansThai-Regular.ttf', 'noto/NotoSansThai-Regular.ttf'] },
  { name: 'Noto Sans', files: ['NotoSans-Regular.ttf', 'noto/NotoSans-Regular.ttf'] },
  { name: 'Noto Sans Math', files: ['NotoSansMath-Regular.ttf', 'noto/NotoSansMath-Regular.ttf'] },
  { name: 'Noto Sans Symbols', files: ['NotoSansSymbols-Regular.ttf', 'noto/NotoSansSymbols-Regular.ttf'] },
  { name: 'Noto Sans Symbols 2', files: ['NotoSansSymbols2-Regular.ttf', 'noto/NotoSansSymbols2-Regular.ttf'] },
];

function fontDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.DOSEDESK_FONT_DIR) dirs.push(process.env.DOSEDESK_FONT_DIR);
  // resources/fonts of the installed app, the checkout or the CLI bundle (paths.ts, as the demo)
  const resources = currentResourcesDir(path.dirname(fileURLToPath(import.meta.url)));
  if (resources) dirs.push(path.join(resources, 'fonts'));
  dirs.push('/usr/share/fonts/truetype', '/usr/share/fonts/truetype/noto', '/usr/share/fonts-droid-fallback/truetype');
  return dirs;
}

/** The fallback font files present on this machine, in order of preference. */
export function fallbackFontFiles(): FontFile[] {
  const out: FontFile[] = [];
  const dirs = fontDirs();
  for (const f of FALLBACKS) {
    for (const d of dirs) {
      const hit = f.files.map((n) => path.join(d, n)).find((p) => fs.existsSync(p));
      if (hit) {
        out.push({ name: f.name, file: hit, face: f.face });
        break;
      }
    }
  }
  return out;
}

/**
 * The document fonts of the minutes: DejaVu Sans (regular, bold, oblique) and DejaVu Sans Mono,
 * embedded as subsets. PDF/A (ISO 19005-3 §6.2.11.4) requires every font to be embedded, so the
 * standard 14 fonts (Helvetica, Courier: never embedded) are not used. Shipped in resources/fonts.
 */
export const DOCUMENT_FONTS = {
  regular: ['DejaVuSans.ttf', 'dejavu/DejaVuSans.ttf'],
  bold: ['DejaVuSans-Bold.ttf', 'dejavu/DejaVuSans-Bold.ttf'],
  italic: ['DejaVuSans-Oblique.ttf', 'dejavu/DejaVuSans-Oblique.ttf'],
  mono: ['DejaVuSansMono.ttf', 'dejavu/DejaVuSansMono.ttf'],
} as const;

const documentFontCache = new Map<string, Buffer>();

/** The bytes of one document font; an error naming the folders searched when it is missing. */
export function documentFontBytes(kind: keyof typeof DOCUMENT_FONTS): Buffer {
  const cached = documentFontCache.get(kind);
  if (cached) return cached;
  const dirs = fontDirs();
  for (const d of dirs) {
    for (const n of DOCUMENT_FONTS[kind]) {
      const p = path.join(d, n);
      if (fs.existsSync(p)) {
        const b = fs.readFileSync(p);
        documentFontCache.set(kind, b);
        return b;
      }
    }
  }
  throw new Error(`the minutes font ${DOCUMENT_FONTS[kind][0]} was not found in ${dirs.join(', ')} (it ships in resources/fonts)`);
}

/** One face of a TrueType/OpenType collection as a standalone font file (OpenType spec, "TTC header"). */
export function faceOfCollection(ttc: Buffer, face: number): Buffer {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') return ttc;
  const numFonts = ttc.readUInt32BE(8);
  if (face >= numFonts) throw new Error(`the collection has ${numFonts} faces, not ${face + 1}`);
  const off = ttc.readUInt32BE(12 + 4 * face);
  const numTables = ttc.readUInt16BE(off + 4);
  const headerLen = 12 + 16 * numTables;
  const tables: { tag: Buffer; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const rec = off + 12 + 16 * i;
    const start = ttc.readUInt32BE(rec + 8);
    const length = ttc.readUInt32BE(rec + 12);
    tables.push({ tag: ttc.subarray(rec, rec + 4), checksum: ttc.readUInt32BE(rec + 4), data: ttc.subarray(start, start + length) });
  }
  const size = headerLen + tables.reduce((s, t) => s + ((t.data.length + 3) & ~3), 0);
  const out = Buffer.alloc(size);
  ttc.copy(out, 0, off, off + 12);
  let pos = headerLen;
  tables.forEach((t, i) => {
    const rec = 12 + 16 * i;
    t.tag.copy(out, rec);
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(pos, rec + 8);
    out.writeUInt32BE(t.data.length, rec + 12);
    t.data.copy(out, pos);
    pos += (t.data.length + 3) & ~3;
  });
  return out;
}

interface LoadedFallback {
  name: string;
  bytes: Buffer;
  has(cp: number): boolean;
}

let cache: LoadedFallback[] | null = null;
const parsed = new Map<string, LoadedFallback>();

/** The fallback fonts, parsed once per process (only their cmap is consulted until text needs them). */
function fallbacks(): LoadedFallback[] {
  if (cache) return cache;
  cache = [];
  for (const f of fallbackFontFiles()) {
    const key = `${f.file}#${f.face ?? 0}`;
    let lf = parsed.get(key);
    if (!lf) {
      try {
        const raw = fs.readFileSync(f.file);
        const bytes = f.face !== undefined ? faceOfCollection(raw, f.face) : raw;
        const font = fontkit.create(bytes);
        const cmapCache = new Map<number, boolean>();
        lf = {
          name: f.name,
          bytes,
          has: (cp) => {
            let v = cmapCache.get(cp);
            if (v === undefined) cmapCache.set(cp, (v = font.hasGlyphForCodePoint(cp)));
            return v;
          },
        };
        parsed.set(key, lf);
      } catch {
        continue; // an unreadable font file is skipped; its characters fall to the next font or a placeholder
      }
    }
    cache.push(lf);
  }
  return cache;
}

/** A run of text drawn with one font. */
export interface Run {
  text: string;
  /** null: the document's standard font (WinAnsi); otherwise the index of the fallback font. */
  fallback: number | null;
}

/**
 * Split text into runs: explicit clinical replacements and WinAnsi characters in the standard font
 * (as before: ≥ → ">=", λ → "lambda"), other characters in the first fallback font that has them,
 * bidi controls and uncovered characters as visible ⟨U+XXXX⟩ placeholders. Newlines are kept.
 */
export function textRuns(input: string): Run[] {
  const fb = fallbacks();
  const runs: Run[] = [];
  let std = ''; // pending standard-font characters, mapped by toWinAnsi together ("λz" → "lambda z")
  const flush = () => {
    if (std === '') return;
    const text = toWinAnsi(std);
    std = '';
    const last = runs[runs.length - 1];
    if (last && last.fallback === null) last.text += text;
    else runs.push({ text, fallback: null });
  };
  const push = (text: string, fallback: number | null) => {
    if (fallback === null) {
      std += text;
      return;
    }
    flush();
    const last = runs[runs.length - 1];
    if (last && last.fallback === fallback) last.text += text;
    else runs.push({ text, fallback });
  };
  const placeholder = (cp: number) => {
    const label = codePointLabel(cp);
    const i = fb.findIndex((f) => f.has(0x27e8) && f.has(0x27e9));
    if (i >= 0) {
      push('\u27e8', i);
      push(label, null);
      push('\u27e9', i);
    } else push(`<${label}>`, null);
  };
  for (const ch of Array.from(input.normalize('NFC'))) {
    const cp = ch.codePointAt(0)!;
    if (isBidiControl(cp)) placeholder(cp);
    else if (isVariationSelector(cp)) continue;
    else if (cp < 0x20 || isWinAnsi(cp) || hasExplicitWinAnsi(ch)) push(ch, null);
    else {
      const i = fb.findIndex((f) => f.has(cp));
      if (i >= 0) push(ch, i);
      else if (toWinAnsi(ch) !== '?') push(ch, null); // a decomposition (ő → o) when no font has it
      else placeholder(cp);
    }
  }
  flush();
  return runs;
}

/** Does the text need any fallback font (or a placeholder)? */
export function needsFallback(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (!isWinAnsi(cp) && ch !== '\n' && ch !== '\r') return true;
  }
  return false;
}

/** The fallback fonts embedded into one document (subset), created when first needed. */
export class FallbackFonts {
  private readonly embedded = new Map<number, PDFFont>();
  constructor(private readonly doc: PDFDocument) {}

  private async font(i: number): Promise<PDFFont> {
    let f = this.embedded.get(i);
    if (!f) {
      this.doc.registerFontkit(fontkit);
      f = await this.doc.embedFont(fallbacks()[i]!.bytes, { subset: true });
      this.embedded.set(i, f);
    }
    return f;
  }

  /** Embed every fallback font the texts need (before any synchronous drawing). */
  async prepare(texts: Iterable<string>): Promise<void> {
    const need = new Set<number>();
    for (const t of texts) if (needsFallback(t)) for (const r of textRuns(t)) if (r.fallback !== null) need.add(r.fallback);
    for (const i of [...need].sort((a, b) => a - b)) await this.font(i);
  }

  fontFor(run: Run, standard: PDFFont): PDFFont {
    if (run.fallback === null) return standard;
    const f = this.embedded.get(run.fallback);
    if (!f) throw new Error(`fallback font ${fallbacks()[run.fallback]?.name ?? run.fallback} was not prepared`);
    return f;
  }

  width(s: string, standard: PDFFont, size: number): number {
    if (!needsFallback(s)) return standard.widthOfTextAtSize(s, size);
    return textRuns(s).reduce((w, r) => w + this.fontFor(r, standard).widthOfTextAtSize(r.text, size), 0);
  }

  draw(page: PDFPage, s: string, opts: { x: number; y: number; font: PDFFont; size: number; color: RGB }): void {
    if (!needsFallback(s)) {
      page.drawText(s, opts);
      return;
    }
    let x = opts.x;
    for (const r of textRuns(s)) {
      if (r.text === '') continue;
      const font = this.fontFor(r, opts.font);
      page.drawText(r.text, { ...opts, x, font });
      x += font.widthOfTextAtSize(r.text, opts.size);
    }
  }
}
