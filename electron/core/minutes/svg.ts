/**
 * SVG figures drawn as vectors: @cantoo/pdf-lib (a pdf-lib fork with an SVG renderer) draws
 * the SVG onto a one-page PDF, which the minutes then embed as a form XObject (pdf-lib
 * `embedPdf`), so the figure stays vector. Its text is drawn in DejaVu Sans, embedded (PDF/A:
 * every font embedded; the standard Helvetica never is).
 */
import { PDFDocument as CantooDocument } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { toWinAnsi } from './text.js';
import { documentFontBytes } from './fonts.js';

/** Width and height of an SVG from its width/height attributes or its viewBox (CSS px = pt here). */
export function svgSize(svg: string): { width: number; height: number } | null {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  if (!root) return null;
  const num = (name: string): number | null => {
    const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)\\s*(px|pt)?\\s*["']`, 'i').exec(root);
    return m ? Number(m[1]) : null;
  };
  const vb = /viewBox\s*=\s*["']\s*([-0-9.]+)[\s,]+([-0-9.]+)[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']/i.exec(root);
  const width = num('width') ?? (vb ? Number(vb[3]) : null);
  const height = num('height') ?? (vb ? Number(vb[4]) : null);
  if (!width || !height || !Number.isFinite(width) || !Number.isFinite(height)) return null;
  return { width, height };
}

/**
 * The last few SVGs drawn, by their text: an export renders the same minutes three or four times
 * (page digests, the signed file, its verification), and each drawing embeds a whole font.
 */
const recent = new Map<string, Promise<Uint8Array | null>>();

/** A one-page PDF holding the SVG at its natural size, or null when it cannot be drawn. */
export function svgToPdfPage(svg: string): Promise<Uint8Array | null> {
  let p = recent.get(svg);
  if (!p) {
    p = drawSvg(svg);
    recent.set(svg, p);
    if (recent.size > 16) recent.delete(recent.keys().next().value!);
  }
  return p;
}

async function drawSvg(svg: string): Promise<Uint8Array | null> {
  const size = svgSize(svg);
  if (!size) return null;
  try {
    const doc = await CantooDocument.create();
    // Whole fonts: @cantoo/pdf-lib's subsetting fails with this fontkit (TTFSubset.encode). Bold only when the SVG asks for it.
    doc.registerFontkit(fontkit);
    const helvetica = await doc.embedFont(documentFontBytes('regular'), { subset: false });
    const bold = /font-weight\s*[:=]\s*["']?(bold|[6-9]00)/i.test(svg) ? await doc.embedFont(documentFontBytes('bold'), { subset: false }) : helvetica;
    const page = doc.addPage([size.width, size.height]);
    page.drawSvg(toWinAnsi(svg), {
      x: 0,
      y: size.height,
      width: size.width,
      height: size.height,
      fonts: { Helvetica: helvetica, 'Helvetica-Bold': bold, Arial: helvetica, 'sans-serif': helvetica, 'Open Sans': helvetica },
    });
    return await doc.save({ useObjectStreams: false });
  } catch {
    return null; // printed as "Figure not available in a printable form; see the attached record"
  }
}
