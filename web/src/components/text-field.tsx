import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/**
 * A labelled text input in a form (`.field`): the label names the input, and the optional hint,
 * shown below it, describes it (`aria-describedby`). Any other input attribute (`name`, `type`,
 * `autoComplete`, `required`, `inputMode`, `maxLength`, `min`…) goes on the input as given.
 */
export function TextField({
  label,
  value,
  onChange,
  hint,
  ...input
}: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'aria-describedby'>) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        aria-describedby={hint === undefined ? undefined : hintId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint !== undefined && <p id={hintId}>{hint}</p>}
    </div>
  );
}
