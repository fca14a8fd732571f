import type { ImportIssue } from '../../../shared/contract';
import { count } from '../format';

// Located import problems (docs/ARCHITECTURE.md#the-flow-of-an-import): file, row, line, column, what was expected, what was found.

export function IssueTable({ issues, kind, caption }: { issues: ImportIssue[]; kind: 'error' | 'warning'; caption: string }) {
  return (
    <div className={`table-wrap issue-table issue-${kind}`} tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table" data-testid={`${kind}-table`}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Row
            </th>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">Column</th>
            <th scope="col">Check</th>
            <th scope="col">Expected</th>
            <th scope="col">Found</th>
            <th scope="col" className="num">
              Count
            </th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i, n) => (
            <tr key={n} data-file={i.file} data-row={i.row ?? ''} data-column={i.column ?? ''}>
              <td className="mono" data-col="file">
                {i.file}
              </td>
              <td className="num" data-col="row">
                {i.row ?? '—'}
              </td>
              <td className="num" data-col="line">
                {i.line ?? '—'}
              </td>
              <td className="mono" data-col="column">
                {i.column ?? '—'}
              </td>
              <td data-col="code">{i.code}</td>
              <td data-col="expected">{i.expected}</td>
              <td className="mono found" data-col="found">
                {i.found === '' ? <span className="muted">(empty)</span> : i.found}
              </td>
              <td className="num" data-col="count">
                {count(i.count)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
