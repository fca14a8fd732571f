import type { Db } from '../store/db';
import { DOMAIN_BY_NAME } from '../store/domains';

// Supplemental qualifiers (SDTMIG §8.4): a SUPP-- record qualifies the parent record of domain
// RDOMAIN whose variable IDVAR equals IDVARVAL for the same USUBJID (IDVAR blank: the subject's
// records of RDOMAIN, for SUPPDM the DM record). A qualifier whose parent is not in the snapshot
// attaches to nothing: it is kept, and reported (import warning, mapping report). Split parents
// (LBCH, LBHE, LBUR with DOMAIN = LB, §4.1.7) are one domain here, so SUPPLBCH finds its parent in
// any of the LB files.

export interface SuppRecord {
  domain: string;
  file: string;
  row: number;
  usubjid: string | null;
  rdomain: string | null;
  idvar: string | null;
  idvarval: string | null;
  qnam: string | null;
}

export interface SuppOrphan extends SuppRecord {
  /** Why no parent: the parent domain is absent from the snapshot, or no record matches. */
  why: 'no-domain' | 'no-record';
}

const IDENT = /^[A-Z][A-Z0-9_]{0,7}$/;

/** Every SUPP-- record of a snapshot, whether stored in a typed table (SUPPDM, SUPPAE) or whole (SUPPLB …). */
export function suppRecords(db: Db, snapshotId: number): SuppRecord[] {
  const out: SuppRecord[] = [];
  const domains = db
    .prepare(`SELECT DISTINCT domain FROM snapshot_file WHERE snapshot_id = ? AND domain LIKE 'SUPP%'`)
    .all(snapshotId) as { domain: string }[];
  for (const { domain } of domains) {
    const spec = DOMAIN_BY_NAME.get(domain);
    const rows = spec
      ? db
          .prepare(
            `SELECT f.file_name file, r.row_no row, r.usubjid, r.rdomain, r.idvar, r.idvarval, r.qnam
             FROM ${spec.table} r JOIN snapshot_file f USING (file_id) WHERE r.snapshot_id = ? ORDER BY f.file_name, r.row_no`,
          )
          .all(snapshotId)
      : db
          .prepare(
            `SELECT f.file_name file, r.row_no row, r.usubjid, json_extract(r.extra, '$.RDOMAIN') rdomain, json_extract(r.extra, '$.IDVAR') idvar,
                    json_extract(r.extra, '$.IDVARVAL') idvarval, json_extract(r.extra, '$.QNAM') qnam
             FROM rec_generic r JOIN snapshot_file f USING (file_id) WHERE r.snapshot_id = ? AND r.domain = ? ORDER BY f.file_name, r.row_no`,
          )
          .all(snapshotId, domain);
    for (const r of rows as Omit<SuppRecord, 'domain'>[]) {
      out.push({
        domain,
        file: r.file,
        row: r.row,
        usubjid: r.usubjid,
        rdomain: r.rdomain == null ? null : String(r.rdomain).trim().toUpperCase() || null,
        idvar: r.idvar == null ? null : String(r.idvar).trim().toUpperCase() || null,
        idvarval: r.idvarval == null ? null : String(r.idvarval).trim(),
        qnam: r.qnam == null ? null : String(r.qnam),
      });
    }
  }
  return out;
}

/**
 * The qualifiers whose parent record is not in the snapshot. RDOMAIN defaults to the SUPP name's
 * (SUPPLB → LB). Each parent is looked up through the (snapshot, USUBJID) index, so the cost follows
 * the number of qualifiers, not the size of the parent domain.
 */
export function suppOrphans(db: Db, snapshotId: number): SuppOrphan[] {
  const present = new Set(
    (db.prepare('SELECT DISTINCT domain FROM snapshot_file WHERE snapshot_id = ? AND domain IS NOT NULL').all(snapshotId) as { domain: string }[]).map((d) => d.domain),
  );
  const lookups = new Map<string, (usubjid: string | null, value: string | null) => boolean>();
  const lookupOf = (rdomain: string, idvar: string | null) => {
    const k = `${rdomain}\u0000${idvar ?? ''}`;
    let f = lookups.get(k);
    if (f) return f;
    const spec = DOMAIN_BY_NAME.get(rdomain);
    const from = spec ? `${spec.table} WHERE snapshot_id = @s` : `rec_generic WHERE snapshot_id = @s AND domain = @d`;
    const subject = spec && !spec.subjectLevel ? '' : 'AND usubjid IS @u';
    const typed = idvar ? spec?.variables.find((v) => v.name === idvar) : undefined;
    // IDVARVAL is text; the parent's variable is a number (LBSEQ 3), text, or a value in the row's bag.
    const match = !idvar
      ? ''
      : typed
        ? typed.type === 'REAL'
          ? `AND ${typed.name.toLowerCase()} = @n`
          : `AND trim(${typed.name.toLowerCase()}) = @t`
        : `AND (json_extract(extra, '$.${idvar}') = @n OR trim(CAST(json_extract(extra, '$.${idvar}') AS TEXT)) = @t)`;
    const stmt = db.prepare(`SELECT 1 FROM ${from} ${subject} ${match} LIMIT 1`);
    f = (u, v) => {
      const n = v !== null && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
      return stmt.get({ s: snapshotId, d: rdomain, u, n, t: v === null ? null : v.trim() }) !== undefined;
    };
    lookups.set(k, f);
    return f;
  };
  const orphans: SuppOrphan[] = [];
  for (const s of suppRecords(db, snapshotId)) {
    const rdomain = s.rdomain ?? s.domain.slice(4);
    if (!present.has(rdomain)) {
      orphans.push({ ...s, why: 'no-domain' });
      continue;
    }
    if (s.idvar && !IDENT.test(s.idvar)) {
      orphans.push({ ...s, why: 'no-record' });
      continue;
    }
    if (!lookupOf(rdomain, s.idvar)(s.usubjid, s.idvar ? s.idvarval : null)) orphans.push({ ...s, why: 'no-record' });
  }
  return orphans;
}
