// A small segmented control (buttons with aria-pressed) for the spider, waterfall, efficacy and AE
// views' display choices: time unit, colouring, endpoint, grouping.

export interface ToggleOption<T extends string> {
  value: T;
  label: string;
}

export function ViewToggle<T extends string>({ label, value, options, onChange, testId }: { label: string; value: T; options: ToggleOption<NoInfer<T>>[]; onChange(v: NoInfer<T>): void; testId?: string }) {
  return (
    <div className="view-toggle" role="group" aria-label={label} data-testid={testId}>
      <span className="view-toggle-label" aria-hidden="true">
        {label}
      </span>
      <div className="view-toggle-buttons">
        {options.map((o) => (
          <button key={o.value} type="button" className="view-toggle-btn" aria-pressed={o.value === value} onClick={() => onChange(o.value)}>
            {o.label}
          </button>
        ))}
      </div>
    </div>
  );
}
