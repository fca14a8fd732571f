import { useId, useMemo, useState } from 'react';

// The patient profile's subject picker. Up to SELECT_MAX subjects, a list to choose from; above, a box
// to type a subject id into, suggesting the first SUGGEST_MAX ids that contain what is typed: a list
// of 10,000 subjects took 0.7 s of layout each time the profile was opened, and nobody scrolls it.

/** The most subjects offered as a drop-down list. */
export const SELECT_MAX = 300;
/** The most ids suggested under the box at once. */
export const SUGGEST_MAX = 50;

/** The ids containing `typed` (case-insensitive), in the given order, at most `max`. */
export function suggestIds(ids: readonly string[], typed: string, max = SUGGEST_MAX): string[] {
  const q = typed.trim().toLowerCase();
  const out: string[] = [];
  for (const id of ids) {
    if (out.length >= max) break;
    if (!q || id.toLowerCase().includes(q)) out.push(id);
  }
  return out;
}

export function SubjectPicker({ ids, current, onPick, testId }: { ids: readonly string[]; current: string; onPick(usubjid: string): void; testId: string }) {
  const listId = useId();
  const problemId = useId();
  const [typed, setTyped] = useState('');
  const [entered, setEntered] = useState(false);
  const known = useMemo(() => new Set(ids), [ids]);
  const suggested = useMemo(() => (ids.length > SELECT_MAX ? suggestIds(ids, typed) : []), [ids, typed]);
  if (ids.length <= SELECT_MAX)
    return (
      <label className="picker">
        <span className="sr-only">Subject</span>
        <select className="input input-compact mono" value={current} onChange={(e) => onPick(e.target.value)} data-testid={testId}>
          {ids.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
    );
  // An id chosen from the suggestions, or typed in full (any case) and Enter, opens that subject.
  const pick = (value: string) => {
    const v = value.trim();
    const id = known.has(v) ? v : ids.find((x) => x.toLowerCase() === v.toLowerCase());
    if (!id) return false;
    onPick(id);
    setTyped('');
    setEntered(false);
    return true;
  };
  const q = typed.trim();
  // Said under the box: nothing matches; or Enter pressed on text several ids contain.
  const problem = q && suggested.length === 0 ? `No subject id contains “${q}”` : entered && q && suggested.length > 1 ? `${suggested.length >= SUGGEST_MAX ? `${SUGGEST_MAX}+` : suggested.length} subject ids contain “${q}”: type more or choose one` : null;
  return (
    <span className="subject-picker-wrap">
      <label className="picker">
        <span className="sr-only">Go to subject</span>
        <input
          className="input input-compact mono subject-picker"
          list={listId}
          value={typed}
          placeholder={`Go to subject (${ids.length.toLocaleString('en-GB')})…`}
          aria-invalid={q !== '' && suggested.length === 0 ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          title={`Type part of a subject id (${current} is open)`}
          onChange={(e) => {
            // A suggestion chosen from the list opens at once; typed text waits for Enter (S-1 is a prefix of S-10).
            const inputType = (e.nativeEvent as InputEvent).inputType;
            if ((inputType === undefined || inputType === 'insertReplacementText') && pick(e.target.value)) return;
            setTyped(e.target.value);
            setEntered(false);
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            // Enter on a partial id opens the only subject it matches.
            e.preventDefault();
            setEntered(true);
            if (!pick(typed) && suggested.length === 1) pick(suggested[0]!);
          }}
          data-testid={testId}
        />
        <datalist id={listId}>
          {suggested.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
      </label>
      {problem && (
        <span id={problemId} className="subject-picker-problem" role="status" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
    </span>
  );
}
