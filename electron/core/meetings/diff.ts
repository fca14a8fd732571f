// Old -> new values for the audit trail: the paths where two JSON values differ (objects and arrays
// of the same length are compared member by member, anything else is a leaf).

export interface Change {
  old: Record<string, unknown>;
  new: Record<string, unknown>;
}

export function diffPaths(a: unknown, b: unknown, path = ''): Change {
  const out: Change = { old: {}, new: {} };
  walk(a, b, path, out);
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(a: unknown, b: unknown, path: string, out: Change): void {
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, out));
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  out.old[path || '$'] = a === undefined ? null : a;
  out.new[path || '$'] = b === undefined ? null : b;
}
