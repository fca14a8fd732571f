/**
 * PDF/A-3b for the minutes (ISO 19005-3:2012, level B: the visual appearance is preserved): what
 * pdf-lib does not write by itself.
 *
 * - an XMP metadata stream in the catalog (ISO 19005-3 §6.6.2; XMP, ISO 16684-1) that repeats the
 *   document information dictionary (dc:title = Title, dc:creator = Author, dc:description = Subject,
 *   pdf:Keywords, pdf:Producer, xmp:CreatorTool = Creator, xmp:CreateDate / xmp:ModifyDate), the
 *   identification pdfaid:part = 3, pdfaid:conformance = B (§6.6.4), and DoseDesk's own fields (study,
 *   snapshot hash, meeting, version, record hash) declared in a PDF/A extension schema (§6.6.2.3.3);
 * - an output intent GTS_PDFA1 with an embedded ICC profile (§6.2.3), because the pages paint in
 *   DeviceRGB: a minimal sRGB profile built here (iccSrgbProfile), not read from the system;
 * - every embedded file named in the catalog's /AF array with its /AFRelationship (§6.8, Annex E);
 * - a file identifier (/ID) in the trailer (§6.1.3).
 * Fonts: the minutes embed every font they use (render.ts, fonts.ts). Checked with qpdf --check and
 * pdfinfo in the tests; a full conformance validator (veraPDF) is not run here.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString, type PDFDocument } from 'pdf-lib';

// ---- a minimal sRGB ICC profile (ICC.1:2001-04, version 2.1) --------------------------------------

const s15Fixed16 = (v: number): number => Math.round(v * 65536) | 0;

/** The sRGB transfer function (IEC 61966-2-1:1999 §5.2): encoded value → linear. */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/**
 * A display-class RGB → XYZ profile of sRGB (IEC 61966-2-1), ICC version 2.1: header (ICC.1 §6.1),
 * tag table, and the tags a matrix/TRC display profile needs (§6.3.1.2): desc, cprt, wtpt (D50, the
 * PCS white), rXYZ/gXYZ/bXYZ (the sRGB primaries adapted to D50 with the Bradford transform, as in
 * the ICC's own sRGB profile: 0.4361 0.2225 0.0139 / 0.3851 0.7169 0.0971 / 0.1431 0.0606 0.7141),
 * and one 1024-point curve of the sRGB transfer function shared by rTRC/gTRC/bTRC.
 */
export function iccSrgbProfile(): Uint8Array {
  const text = (sig: string, s: string): Buffer => {
    const b = Buffer.alloc(8 + s.length + 1);
    b.write(sig, 0, 'ascii');
    b.write(s, 8, 'ascii');
    return b;
  };
  const desc = (s: string): Buffer => {
    // textDescriptionType (ICC.1:2001 §6.5.17): ASCII, then empty Unicode and ScriptCode parts.
    const b = Buffer.alloc(8 + 4 + s.length + 1 + 4 + 4 + 2 + 1 + 67);
    b.write('desc', 0, 'ascii');
    b.writeUInt32BE(s.length + 1, 8);
    b.write(s, 12, 'ascii');
    return b;
  };
  const xyz = (x: number, y: number, z: number): Buffer => {
    const b = Buffer.alloc(20);
    b.write('XYZ ', 0, 'ascii');
    b.writeInt32BE(s15Fixed16(x), 8);
    b.writeInt32BE(s15Fixed16(y), 12);
    b.writeInt32BE(s15Fixed16(z), 16);
    return b;
  };
  const n = 1024;
  const curv = Buffer.alloc(12 + 2 * n);
  curv.write('curv', 0, 'ascii');
  curv.writeUInt32BE(n, 8);
  for (let i = 0; i < n; i++) curv.writeUInt16BE(Math.round(srgbToLinear(i / (n - 1)) * 65535), 12 + 2 * i);

  const data: [string, Buffer][] = [
    ['desc', desc('sRGB IEC61966-2.1 (DoseDesk minimal profile)')],
    ['cprt', text('text', 'No copyright, use freely')],
    ['wtpt', xyz(0.9642, 1.0, 0.8249)],
    ['rXYZ', xyz(0.4361, 0.2225, 0.0139)],
    ['gXYZ', xyz(0.3851, 0.7169, 0.0971)],
    ['bXYZ', xyz(0.1431, 0.0606, 0.7141)],
    ['rTRC', curv],
  ];
  const tags: [string, string][] = [...data.map(([s]) => [s, s] as [string, string]), ['gTRC', 'rTRC'], ['bTRC', 'rTRC']];
  const tableSize = 4 + 12 * tags.length;
  const offsets = new Map<string, { offset: number; size: number }>();
  let pos = 128 + tableSize;
  for (const [sig, b] of data) {
    offsets.set(sig, { offset: pos, size: b.length });
    pos += (b.length + 3) & ~3;
  }
  const out = Buffer.alloc(pos);
  out.writeUInt32BE(pos, 0); // profile size
  out.writeUInt32BE(0x02100000, 8); // version 2.1.0
  out.write('mntr', 12, 'ascii'); // display device
  out.write('RGB ', 16, 'ascii');
  out.write('XYZ ', 20, 'ascii'); // profile connection space
  [2026, 1, 1, 0, 0, 0].forEach((v, i) => out.writeUInt16BE(v, 24 + 2 * i)); // a fixed date: the same bytes every time
  out.write('acsp', 36, 'ascii');
  out.writeUInt32BE(0, 64); // perceptual
  out.writeInt32BE(s15Fixed16(0.9642), 68); // PCS illuminant D50
  out.writeInt32BE(s15Fixed16(1.0), 72);
  out.writeInt32BE(s15Fixed16(0.8249), 76);
  out.writeUInt32BE(tags.length, 128);
  tags.forEach(([sig, of], i) => {
    const o = offsets.get(of)!;
    out.write(sig, 132 + 12 * i, 'ascii');
    out.writeUInt32BE(o.offset, 136 + 12 * i);
    out.writeUInt32BE(o.size, 140 + 12 * i);
  });
  for (const [sig, b] of data) b.copy(out, offsets.get(sig)!.offset);
  return new Uint8Array(out);
}

// ---- XMP -----------------------------------------------------------------------------------------

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** DoseDesk's XMP namespace for the minutes' own fields. */
export const DOSEDESK_XMP_NS = 'https://dosedesk.org/ns/minutes/1.0/';

export interface PdfaMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  producer: string;
  createdAt: Date;
  /** Written as dosedesk:* properties (declared in the extension schema). */
  custom: { studyId: string; snapshotHash: string; meetingId: string; version: string; recordHash: string };
}

/** "2025-03-21T15:09:40Z": the XMP form of the Info dictionary's D:20250321150940Z (whole seconds, UTC). */
const xmpDate = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

const CUSTOM: { name: keyof PdfaMetadata['custom']; description: string }[] = [
  { name: 'studyId', description: 'Study identifier (STUDYID)' },
  { name: 'snapshotHash', description: 'SHA-256 of the data snapshot the minutes were computed from' },
  { name: 'meetingId', description: 'DoseDesk meeting number' },
  { name: 'version', description: 'Version of the meeting record' },
  { name: 'recordHash', description: 'SHA-256 of the signed meeting record (canonical JSON)' },
];

export function xmpPacket(m: PdfaMetadata): string {
  const date = xmpDate(m.createdAt);
  const props = CUSTOM.map((c) => `   <dosedesk:${c.name}>${xml(m.custom[c.name])}</dosedesk:${c.name}>`).join('\n');
  const schemaProps = CUSTOM.map(
    (c) => `         <rdf:li rdf:parseType="Resource"><pdfaProperty:name>${c.name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${xml(c.description)}</pdfaProperty:description></rdf:li>`,
  ).join('\n');
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"
    xmlns:dosedesk="${DOSEDESK_XMP_NS}">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(m.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xml(m.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(m.subject)}</rdf:li></rdf:Alt></dc:description>
   <pdf:Keywords>${xml(m.keywords)}</pdf:Keywords>
   <pdf:Producer>${xml(m.producer)}</pdf:Producer>
   <xmp:CreatorTool>${xml(m.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
${props}
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>DoseDesk minutes</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>${DOSEDESK_XMP_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>dosedesk</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
${schemaProps}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Info dictionary, XMP, output intent, /AF of the attachments, trailer /ID. Call after every attach(). */
export async function makePdfA3b(pdf: PDFDocument, m: PdfaMetadata, afRelationship: Record<string, 'Data' | 'Source' | 'Supplement'>): Promise<void> {
  pdf.setTitle(m.title);
  pdf.setAuthor(m.author);
  pdf.setSubject(m.subject);
  pdf.setKeywords([m.keywords]);
  pdf.setProducer(m.producer);
  pdf.setCreator(m.creator);
  pdf.setCreationDate(m.createdAt);
  pdf.setModificationDate(m.createdAt);
  const ctx = pdf.context;
  // XMP: an uncompressed metadata stream (§6.6.2.1: not filtered, so that it can be found without a PDF parser).
  const meta = ctx.stream(new TextEncoder().encode(xmpPacket(m)), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), ctx.register(meta));

  const icc = ctx.flateStream(iccSrgbProfile(), { N: 3 });
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: ctx.register(icc),
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));

  // The attachments: embed them now to learn their file specifications, then list them in /AF.
  await pdf.flush();
  const af = PDFArray.withContext(ctx);
  const names = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  for (let i = 0; names && i + 1 < names.size(); i += 2) {
    const ref = names.get(i + 1);
    const spec = names.lookup(i + 1, PDFDict);
    const name = spec.lookupMaybe(PDFName.of('F'), PDFString)?.decodeText() ?? '';
    spec.set(PDFName.of('AFRelationship'), PDFName.of(afRelationship[name] ?? 'Supplement'));
    if (ref instanceof PDFRef) af.push(ref);
  }
  pdf.catalog.set(PDFName.of('AF'), af);

  // The same identifier twice (the file has not been updated yet), derived from what it holds so
  // that the same record renders to the same bytes.
  const id = createHash('sha256').update(`${m.custom.recordHash}\u0000${m.custom.snapshotHash}\u0000${xmpDate(m.createdAt)}`).digest('hex').slice(0, 32);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}
