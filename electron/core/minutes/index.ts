/** Minutes PDF: render, sign (PDF digital signatures), verify. */
export * from './document.js';
export { toWinAnsi, isWinAnsi } from './text.js';
export { renderMinutesPdf, wrapText, formatDate, formatSignedAt, decisionLabel, columnWidths, A4, type RenderOptions } from './render.js';
export { svgToPdfPage, svgSize } from './svg.js';
export {
  createSigningIdentity,
  signPdf,
  hasSignature,
  signatureFieldNames,
  type SigningIdentityInput,
  type SigningIdentity,
  type SignPdfInput,
} from './sign.js';
export {
  verifyMinutesPdf,
  pdfsigReport,
  parsePdfsigOutput,
  checkPkcs7,
  findAttachment,
  pdfDateToIso,
  type VerifiedSignature,
  type MinutesVerification,
  type PdfsigSignature,
  type PdfsigReport,
} from './verify.js';
