/**
 * WinAnsi-safe text for pdf-lib's standard 14 fonts (Helvetica, Courier), which encode
 * WinAnsiEncoding only (PDF 32000-1:2008 Annex D.2). Characters outside it are mapped to a
 * WinAnsi equivalent or spelled out, so that the PDF never depends on system fonts and a
 * clinical symbol is never silently dropped (≥ → ">=", λz → "lambda z", − → "-").
 */

/** The 27 WinAnsi code points in 0x80–0x9F that are not Latin-1 (PDF 32000-1 Annex D.2). */
const WIN_ANSI_EXTRA = new Set(
  Array.from('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ').map((c) => c.codePointAt(0)!),
);

/** Explicit replacements for symbols common in clinical text. */
const REPLACEMENTS: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '≈': '~',
  '−': '-', // U+2212 minus sign
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '→': '->',
  '←': '<-',
  '↑': 'up',
  '↓': 'down',
  '⇒': '=>',
  '∞': 'infinity',
  '√': 'sqrt',
  '∑': 'sum',
  '∆': 'Delta',
  '✓': 'yes',
  '✔': 'yes',
  '✗': 'no',
  '✘': 'no',
  '\u2009': ' ', // thin space
  '\u202f': ' ', // narrow no-break space
  '\u2007': ' ',
  '\u200b': '',
  '\ufeff': '',
  '′': "'",
  '″': '"',
  'μ': 'µ', // Greek mu U+03BC → micro sign U+00B5
  '₀': '0',
  '₁': '1',
  '₂': '2',
  '₃': '3',
  '₄': '4',
  '₅': '5',
  '₆': '6',
  '₇': '7',
  '₈': '8',
  '₉': '9',
  '⁰': '0',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
  '\t': '    ',
  // Latin letters without a canonical decomposition (NFKD leaves them whole).
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
};

/** Greek letters spelled out (λz → "lambda z" reads as the PK term). */
const GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta',
  ι: 'iota', κ: 'kappa', λ: 'lambda', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma',
  τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
  Α: 'Alpha', Β: 'Beta', Γ: 'Gamma', Δ: 'Delta', Θ: 'Theta', Λ: 'Lambda', Π: 'Pi', Σ: 'Sigma',
  Φ: 'Phi', Ψ: 'Psi', Ω: 'Omega',
};

/** True when the code point is encodable in WinAnsiEncoding. */
export function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

/**
 * Map one string to WinAnsi-encodable text. Newlines are kept (callers split on them);
 * other control characters are dropped; unknown characters are decomposed (é stays é,
 * ő → o) and, failing that, replaced by "?".
 */
export function toWinAnsi(input: string): string {
  let out = '';
  const chars = Array.from(input.normalize('NFC'));
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') {
      out += '\n';
      continue;
    }
    if (ch === '\r') continue;
    if (REPLACEMENTS[ch] !== undefined) {
      out += REPLACEMENTS[ch];
      continue;
    }
    if (isWinAnsi(cp)) {
      out += ch;
      continue;
    }
    const greek = GREEK[ch];
    if (greek !== undefined) {
      // "λz" → "lambda z": keep a following letter or digit readable.
      const next = chars[i + 1];
      out += greek + (next !== undefined && /[\p{L}\p{N}]/u.test(next) ? ' ' : '');
      continue;
    }
    if (cp < 0x20) continue;
    const decomposed = Array.from(ch.normalize('NFKD'))
      .filter((c) => !/\p{M}/u.test(c))
      .join('');
    if (decomposed.length > 0 && Array.from(decomposed).every((c) => isWinAnsi(c.codePointAt(0)!))) {
      out += decomposed;
      continue;
    }
    out += '?';
  }
  return out;
}

/** Characters mapped on purpose (≥ → ">=", λ → "lambda", thin space → space…): kept so clinical text reads the same. */
export function hasExplicitWinAnsi(ch: string): boolean {
  return REPLACEMENTS[ch] !== undefined || GREEK[ch] !== undefined;
}
