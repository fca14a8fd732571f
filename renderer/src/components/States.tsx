import type { ReactNode } from 'react';

// Empty, loading and error states: each says what happened and what to do next.

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty" data-state="empty">
      <h2 className="state-title">{title}</h2>
      {children && <div className="state-body">{children}</div>}
      {action && <div className="state-action">{action}</div>}
    </div>
  );
}

export function LoadingState({ what }: { what: string }) {
  return (
    <div className="state state-loading" data-state="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>Loading {what}…</span>
    </div>
  );
}

export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" data-state="error" role="alert">
      <h2 className="state-title">{title}</h2>
      <p className="state-body">
        The core answered: <span className="mono">{message}</span>
      </p>
      <p className="state-body muted">Check that DoseDesk is still running, then try again. If it keeps failing, the message above names the cause.</p>
      {onRetry && (
        <div className="state-action">
          <button type="button" className="btn" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
