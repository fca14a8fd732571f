// The answers the laboratory and immunogenicity views ask for as columns (shared/columns.ts), decoded
// as the views decode them, against the same methods asked as rows: equal field by field.
import { expect } from 'vitest';
import type { Core } from '../../electron/core/app';
import { hasPositiveSample } from '../../shared/ada';
import { edishRows, shiftRows } from '../../renderer/src/components/LabFigures';
import { adaRows } from '../../renderer/src/components/ImmunogenicityFigures';

export async function expectColumnsEqualRows(core: Core, snapshotId: number): Promise<void> {
  for (const subjectRows of ['all', 'notable'] as const) {
    const rows = await core.call('labs.shift', { snapshotId, subjectRows });
    const cols = await core.call('labs.shift', { snapshotId, subjectRows, as: 'columns' });
    expect(cols.subjects).toEqual([]);
    expect(shiftRows(cols)).toEqual(rows);
  }
  const edish = await core.call('labs.edish', { snapshotId });
  expect(edishRows(await core.call('labs.edish', { snapshotId, as: 'columns' }))).toEqual(edish);

  const ada = await core.call('safety.ada', { snapshotId });
  const positive = await core.call('safety.ada', { snapshotId, samples: 'positive' });
  // Every sample of a subject with a positive one; of the others, the baseline sample alone.
  expect(positive).toEqual({ ...ada, subjects: ada.subjects.map((s) => (hasPositiveSample(s) ? s : { ...s, samples: s.samples.filter((x) => x.baselineFlag) })) });
  expect(adaRows(await core.call('safety.ada', { snapshotId, samples: 'positive', as: 'columns' }))).toEqual(positive);
  expect(adaRows(await core.call('safety.ada', { snapshotId, as: 'columns' }))).toEqual(ada);
}
