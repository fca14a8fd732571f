import path from 'node:path';
import type { MinutesVerifyResult } from '../../../shared/api/minutes';
import type { Core } from '../context';
import { command, str, UsageError, type Command } from '../cliArgs';

// CLI of the signed minutes, through the contract (core.call):
//   dosedesk minutes export <meeting> --out FILE.pdf [--version N] --user USERNAME
//       password from DOSEDESK_PASSWORD, else asked on the terminal without echo (else one line of
//       stdin); logs in, exports (re-entering the same password for the PDF signature), logs out.
//   dosedesk minutes verify FILE.pdf [--trust ROOT.pem] [--format text|json]
//       who signed, when, for what meaning, which snapshot, intact / legacy or not and what no longer
//       matches; exit 0 intact or legacy, 1 not intact. --trust adds the roots of another installation.
//   dosedesk minutes export-trust --out ROOT.pem
//       this installation's trust root (and legacy signing certificates) for verifying elsewhere.

/** Reads a password: DOSEDESK_PASSWORD, else the terminal without echo, else one line of piped stdin. */
export async function readPassword(prompt: string): Promise<string> {
  const env = process.env.DOSEDESK_PASSWORD;
  if (env !== undefined && env !== '') return env;
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let pw = '';
      const done = (err?: Error) => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.removeListener('data', onData);
        process.stderr.write('\n');
        if (err) reject(err);
        else resolve(pw);
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
          if (ch === '\u0003') return done(new UsageError('cancelled'));
          if (ch === '\u007f' || ch === '\b') pw = pw.slice(0, -1);
          else pw += ch;
        }
      };
      stdin.on('data', onData);
    });
  }
  // piped: the first line of stdin
  const chunks: Buffer[] = [];
  for await (const c of stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

const positiveInt = (v: string | undefined, what: string): number => {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n <= 0) throw new UsageError(`${what}: expected a positive whole number, found ${JSON.stringify(v ?? '')}`);
  return n;
};

async function exportCommand(core: Core, args: Parameters<Command['run']>[1]): ReturnType<Command['run']> {
  const meetingId = positiveInt(args.positional[2], 'minutes export <meeting>');
  const out = str(args, 'out');
  if (!out) throw new UsageError('minutes export: --out FILE.pdf is required');
  const username = str(args, 'user');
  if (!username) throw new UsageError('minutes export: --user USERNAME is required (the exporting user signs the PDF)');
  const version = args.flags.has('version') ? positiveInt(str(args, 'version'), '--version') : undefined;
  const password = await readPassword(`Password for ${username}: `);
  if (!password) throw new UsageError('minutes export: no password (set DOSEDESK_PASSWORD or type it when asked)');
  const { session } = await core.call('auth.login', { username, password });
  try {
    const r = await core.call('minutes.export', { session, meetingId, version, password, outPath: path.resolve(out) });
    const v = r.verification;
    return {
      ok: v.intact,
      output: {
        meetingId: r.meetingId,
        version: r.version,
        status: r.status,
        pdf: r.pdfPath,
        json: r.jsonPath,
        sha256: r.sha256,
        bytes: r.bytes,
        signedBy: r.signedBy,
        exportedAt: r.exportedAt,
        intact: v.intact,
        problems: v.problems,
        pdfsig: v.pdfsig ? v.pdfsig.signatures.map((s) => ({ signature: s.index, validation: s.validation, totalDocumentSigned: s.totalDocumentSigned })) : 'pdfsig not installed',
      },
    };
  } finally {
    await core.call('auth.logout', { session }).catch(() => undefined);
  }
}

const yes = (b: boolean) => (b ? 'yes' : 'NO');

/** The verification in words, for a person at a terminal. */
export function verifyText(file: string, v: MinutesVerifyResult): string {
  const lines: string[] = [];
  lines.push(
    `${file}: ${
      v.status === 'intact'
        ? 'INTACT - every signature valid and chained to a trusted DoseDesk root, nothing added after signing, every page as the attached record says, the record verifies'
        : v.status === 'legacy'
          ? 'INTACT (LEGACY) - exported before the trust root: signed with a self-signed DoseDesk certificate known to this database or a trust file, not chained to a root; every other check holds'
          : 'NOT INTACT'
    }`,
  );
  lines.push(`  SHA-256 ${v.sha256} (${v.bytes} bytes)`);
  if (v.record) {
    const r = v.record;
    lines.push('');
    lines.push(`Minutes: "${r.title}" - study ${r.studyId}, meeting ${r.meetingId}, version ${r.version} (${r.status})`);
    lines.push(`  Record SHA-256 ${r.recordHash}; exported ${r.exportedAt} by ${r.exportedBy}`);
    lines.push(`Snapshot reviewed: ${r.snapshot.label}, data cut-off ${r.snapshot.dataCutoff ?? 'not stated'}`);
    lines.push(`  content hash ${r.snapshot.contentHash}${v.snapshotKnown ? ' (in this database)' : ' (not in this database)'}`);
    lines.push(`Signatures of the record (21 CFR Part 11, Ed25519):`);
    if (r.signatures.length === 0) lines.push('  none');
    for (const s of r.signatures) lines.push(`  - ${s.printedName}: ${s.meaning}, signed ${s.signedAt} - ${s.valid ? 'valid' : 'DOES NOT VERIFY'}`);
  } else {
    lines.push('', 'No DoseDesk meeting record is attached.');
  }
  lines.push(`PDF digital signatures:`);
  if (v.signatures.length === 0) lines.push('  none');
  for (const s of v.signatures) {
    lines.push(`  ${s.index}. ${s.name}${s.knownUser ? ` (certificate of DoseDesk user ${s.knownUser})` : ' (certificate not known in this database)'}, signed ${s.signedAt ?? 'at an unstated time'}`);
    lines.push(`     trust: ${s.trust.toUpperCase()} - ${s.trustDetail}`);
    if (s.reason) lines.push(`     ${s.reason}`);
    lines.push(`     digest valid: ${yes(s.digestValid)}; signature valid: ${yes(s.signatureValid)}; covers the whole file: ${yes(s.coversWholeFile)}`);
    lines.push(`     certificate SHA-256 ${s.certificateFingerprint || '-'}`);
  }
  lines.push(`Trusted roots: ${v.trustRoots.length ? v.trustRoots.map((r) => `${r.subject} SHA-256 ${r.fingerprint} (${r.source})`).join('; ') : 'none'}`);
  if (v.pages) lines.push(`Pages compared with the attached record: ${v.pages.compared}${v.pages.differing.length ? `, DIFFERING: ${v.pages.differing.join(', ')}` : ', all as rendered from the record'}`);
  else lines.push('Pages compared with the attached record: not compared (legacy file without a manifest)');
  if (v.auditHead) lines.push(`Audit trail anchored at entry ${v.auditHead.seq}, hash ${v.auditHead.hash}`);
  if (v.exportRecord) lines.push(`SHA-256 recorded at export in this database: ${v.exportRecord}`);
  if (v.pdfsig) {
    lines.push(`pdfsig (poppler): ${v.pdfsig.signatures.length === 0 ? 'no signatures found' : v.pdfsig.signatures.map((s) => `#${s.index} ${s.validation} ${s.totalDocumentSigned ? 'Total document signed' : 'Not total document signed'}`).join('; ')}`);
  } else lines.push('pdfsig (poppler): not installed');
  if (v.problems.length) {
    lines.push('', 'What no longer matches:');
    for (const p of v.problems) lines.push(`  - ${p}`);
  }
  return lines.join('\n') + '\n';
}

async function verifyCommand(core: Core, args: Parameters<Command['run']>[1]): ReturnType<Command['run']> {
  const file = args.positional[2];
  if (!file) throw new UsageError('minutes verify: expected FILE.pdf');
  const format = str(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('minutes verify: --format must be text or json');
  const trust = str(args, 'trust');
  const v = await core.call('minutes.verify', { path: path.resolve(file), ...(trust ? { trust: [path.resolve(trust)] } : {}) });
  return { ok: v.intact, output: format === 'json' ? v : verifyText(file, v) };
}

const minutes: Command['run'] = async (core, args) => {
  const sub = args.positional[1];
  if (sub === 'export') return exportCommand(core, args);
  if (sub === 'verify') return verifyCommand(core, args);
  if (sub === 'export-trust') {
    const out = str(args, 'out');
    if (!out) throw new UsageError('minutes export-trust: --out ROOT.pem is required');
    const r = await core.call('minutes.exportTrust', { outPath: path.resolve(out) });
    return { ok: true, output: { path: r.path, rootFingerprint: r.rootFingerprint, legacyCertificates: r.legacyCertificates } };
  }
  throw new UsageError('minutes: expected "minutes export <meeting> --out FILE.pdf --user USERNAME", "minutes verify FILE.pdf [--trust ROOT.pem]" or "minutes export-trust --out ROOT.pem"');
};

export const minutesCommands: Record<string, Command> = {
  minutes: command(
    `  dosedesk minutes export <meeting> --out FILE.pdf --user USERNAME [--version N]
                                                       signed minutes PDF (+ FILE.json beside it) of a locked version; password
                                                       from DOSEDESK_PASSWORD or asked without echo; exit 1 if the file does not verify
  dosedesk minutes verify FILE.pdf [--trust ROOT.pem] [--format text|json]
                                                       who signed, when, meaning, snapshot, intact / legacy or what no
                                                       longer matches (signatures must chain to a trusted root); exit 0
                                                       intact or legacy, 1 not intact
  dosedesk minutes export-trust --out ROOT.pem         this installation's trust root (+ legacy certificates) for
                                                       verifying minutes on another machine`,
    { out: 'string', user: 'string', version: 'string', trust: 'string', format: 'string' },
    minutes,
  ),
};
