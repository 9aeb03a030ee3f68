import type { ReactNode, TextareaHTMLAttributes } from 'react';

/*
 * Controls the shared form pieces (components/form.tsx) lack, built the same way: a visible label, the
 * hint and error tied to the control with aria-describedby, the error shown next to the control.
 */

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <p id={`${id}-hint`} className="field__hint">
      {hint}
    </p>
  ) : null;
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="field__error">
      {error}
    </p>
  ) : null;
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-describedby' | 'aria-invalid'> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
};

export function TextAreaField({ id, label, hint, error, className, ...textarea }: TextAreaProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <textarea id={id} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...textarea} />
      <ErrorText id={id} error={error} />
    </div>
  );
}

/**
 * One answer among a few, as radio buttons under a legend. The first button carries `id`, so that a
 * form can move focus to the group when it is at fault.
 */
export function RadioGroup<T extends string>({
  id,
  legend,
  name,
  options,
  value,
  onChange,
  hint,
  error,
  inline = false,
}: {
  id: string;
  legend: string;
  name: string;
  options: ReadonlyArray<{ value: T; label: string }>;
  value: T | '';
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string;
  inline?: boolean;
}) {
  return (
    <fieldset
      className={`field radio-group${inline ? ' radio-group--inline' : ''}${error ? ' field--invalid' : ''}`}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend>{legend}</legend>
      <Hint id={id} hint={hint} />
      <div className="radio-group__options">
        {options.map((option, index) => {
          const optionId = index === 0 ? id : `${id}-${option.value.replace(/[^a-z0-9-]/gi, '-')}`;
          return (
            <div key={option.value} className="radio">
              <input
                id={optionId}
                type="radio"
                name={name}
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
              />
              <label htmlFor={optionId}>{option.label}</label>
            </div>
          );
        })}
      </div>
      <ErrorText id={id} error={error} />
    </fieldset>
  );
}
