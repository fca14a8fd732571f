// Demo study generator, command line:
//   node --import tsx electron/core/demo/cli.ts --out DIR [--subjects N] [--seed S] [--cut YYYY-MM-DD]
//        [--format mixed|csv|json|ndjson|xpt] [--truth FILE]
//   node --import tsx electron/core/demo/cli.ts --shipped     (regenerates resources/demo/cut1, cut2)
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cutSnapshot, DEFAULT_SEED, generateStudy, writeSnapshot, type WriteOptions } from './generate.js';
import { regenerateShippedCuts } from './shipped.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      subjects: { type: 'string' },
      seed: { type: 'string' },
      cut: { type: 'string' },
      format: { type: 'string' },
      truth: { type: 'string' },
      shipped: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || (!values.out && !values.shipped)) {
    process.stdout.write(
      'usage: cli.ts --out DIR [--subjects N] [--seed S] [--cut YYYY-MM-DD] [--format mixed|csv|json|ndjson|xpt] [--truth FILE]\n' +
        '       cli.ts --shipped\n',
    );
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  if (values.shipped) {
    const written = await regenerateShippedCuts();
    process.stdout.write(JSON.stringify(written, null, 1) + '\n');
    return;
  }
  const format = (values.format ?? 'mixed') as WriteOptions['format'];
  if (!['mixed', 'csv', 'json', 'ndjson', 'xpt'].includes(format!)) throw new Error(`unknown --format ${values.format}`);
  const t0 = performance.now();
  const study = generateStudy({
    seed: values.seed !== undefined ? Number(values.seed) : DEFAULT_SEED,
    subjects: values.subjects !== undefined ? Number(values.subjects) : undefined,
  });
  const snap = values.cut ? cutSnapshot(study, values.cut) : study;
  const files = await writeSnapshot(values.out!, snap, { format });
  if (values.truth) writeFileSync(values.truth, JSON.stringify(snap.truth, null, 1) + '\n');
  process.stdout.write(
    JSON.stringify({ out: values.out, subjects: snap.truth.subjects.length, cutoff: snap.definition.dataCutoff, ms: Math.round(performance.now() - t0), files }, null, 1) + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
