import {
  forwardRef,
  useCallback,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldProblem } from '../api/client';
import { useFormat } from '../i18n/format';
import './form.css';

/*
 * Form pieces shared by the people-and-access pages. Every control has a visible label; hints and
 * errors are tied to it with aria-describedby, so a screen reader reads them with the field; errors
 * that concern the whole form go to a live region that is always in the page (a region created
 * together with its text is often not announced).
 */

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-describedby' | 'aria-invalid'> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
};

/** The ids of a control's hint and error, for its aria-describedby. */
function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** Label, hint and error around one control, which must carry `id` and `describedBy(id, …)`. */
function FieldFrame({
  id,
  label,
  hint,
  error,
  className,
  children,
}: Pick<FieldProps, 'id' | 'label' | 'hint' | 'error' | 'className'> & { children: ReactNode }) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field(
  { id, label, hint, error, className, ...input },
  ref,
) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <input ref={ref} id={id} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...input} />
    </FieldFrame>
  );
});

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-describedby' | 'aria-invalid'> &
  Pick<FieldProps, 'id' | 'label' | 'hint' | 'error'> & { options: ReadonlyArray<{ value: string; label: string }> };

/** A choice among a few known values, laid out like `Field`. */
export const SelectField = forwardRef<HTMLSelectElement, SelectFieldProps>(function SelectField(
  { id, label, hint, error, className, options, ...select },
  ref,
) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <select ref={ref} id={id} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
});

/** One checkbox with its label beside it (and an optional hint below the label). */
export function Checkbox({
  id,
  label,
  hint,
  checked,
  disabled,
  onChange,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * Several checkboxes answering one question, grouped under a legend so that a screen reader names the
 * question with each box; the group's error is tied to the group. The first box carries `id`, so that
 * `useFormState` can move focus to the group.
 */
export function CheckboxGroup<T extends string>({
  id,
  legend,
  options,
  value,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  options: ReadonlyArray<{ value: T; label: string; hint?: string }>;
  value: readonly T[];
  onChange: (value: T[]) => void;
  error?: string;
}) {
  return (
    <fieldset className={`field checkbox-group${error ? ' field--invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((option, index) => (
        <Checkbox
          key={option.value}
          id={index === 0 ? id : `${id}-${option.value.replace(/[^a-z0-9-]/gi, '-')}`}
          label={option.label}
          hint={option.hint}
          checked={value.includes(option.value)}
          onChange={(checked) =>
            onChange(options.map((o) => o.value).filter((v) => (v === option.value ? checked : value.includes(v))))
          }
        />
      ))}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The form's own message (an error, or a confirmation); the region stays mounted so changes are announced. */
export function FormMessage({ message, kind = 'error' }: { message?: string | undefined; kind?: 'error' | 'success' }) {
  return (
    <div className={`form-message form-message--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {message && <p>{message}</p>}
    </div>
  );
}

export type FieldErrors = Record<string, string>;

/**
 * The reader's-language sentence for a failed request. The server's message is English-only and meant
 * for developers; the code (and for waits, the time) is what the reader needs.
 */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError)) return t('errors.unexpected');
      switch (error.code) {
        case 'INVALID_CREDENTIALS':
          return t('errors.invalidCredentials');
        case 'RATE_LIMITED': {
          const seconds = error.retryAfterSeconds ?? 60;
          const until = new Date(Date.now() + seconds * 1000);
          return t('errors.rateLimited', {
            time: format.dateTime(until, { timeStyle: 'short' }),
            minutes: format.number(Math.max(1, Math.ceil(seconds / 60))),
          });
        }
        case 'VALIDATION_FAILED':
          return t('errors.validation');
        case 'NETWORK':
          return t('errors.network');
        case 'CSRF_FAILED':
          return t('errors.csrf');
        case 'UNAUTHENTICATED':
          return t('errors.signedOut');
        case 'FORBIDDEN':
          return t('errors.forbidden');
        default:
          return error.requestId
            ? t('errors.unexpectedWithId', { requestId: error.requestId })
            : t('errors.unexpected');
      }
    },
    [t, format],
  );
}

/**
 * A field problem from the server in the reader's language. The server names the field and words the
 * problem in English; the few password problems it can raise are recognised so the reader learns which.
 */
export function useFieldProblemText(): (problem: FieldProblem) => string {
  const { t } = useTranslation();
  return useCallback(
    (problem: FieldProblem) => {
      const message = problem.message;
      if (/common/i.test(message)) return t('fields.password.common');
      if (/at least \d+ characters/i.test(message)) return t('fields.password.tooShort', { min: PASSWORD_MIN_LENGTH });
      if (/at most \d+ characters/i.test(message)) return t('fields.password.tooLong', { max: PASSWORD_MAX_LENGTH });
      if (/not your current password/i.test(message)) return t('fields.currentPassword.wrong');
      if (/required/i.test(message)) return t('fields.required');
      return t('fields.invalid');
    },
    [t],
  );
}

/** The password policy the server applies (src/auth/passwords.ts); checked here first to answer sooner. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** The local half of the policy (length); the server adds the common-password check. */
export function usePasswordCheck(): (password: string) => string | undefined {
  const { t } = useTranslation();
  return useCallback(
    (password: string) => {
      const length = [...password].length;
      if (length === 0) return t('fields.required');
      if (length < PASSWORD_MIN_LENGTH) return t('fields.password.tooShort', { min: PASSWORD_MIN_LENGTH });
      if (length > PASSWORD_MAX_LENGTH) return t('fields.password.tooLong', { max: PASSWORD_MAX_LENGTH });
      return undefined;
    },
    [t],
  );
}

/**
 * Submitting state for a form: the pending flag, the form-level message, the per-field messages, and
 * `fail` that fills them from an error and moves focus to the first field at fault (or leaves it for
 * the alert to be announced when no field is).
 */
export function useFormState(fieldIds: Record<string, string>) {
  const errorText = useErrorText();
  const problemText = useFieldProblemText();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const form = useRef<HTMLFormElement>(null);

  const focusField = useCallback(
    (field: string) => {
      const id = fieldIds[field];
      if (id) form.current?.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus();
    },
    [fieldIds],
  );

  /** Shows local validation errors; returns true when there were none. */
  const validate = useCallback(
    (errors: FieldErrors, summary: string) => {
      const first = Object.keys(errors)[0];
      setFieldErrors(errors);
      if (first === undefined) {
        setMessage(undefined);
        return true;
      }
      setMessage(summary);
      focusField(first);
      return false;
    },
    [focusField],
  );

  const fail = useCallback(
    (error: unknown) => {
      const problems = error instanceof ApiError ? error.fieldProblems.filter((p) => p.field in fieldIds) : [];
      const errors: FieldErrors = {};
      for (const problem of problems) errors[problem.field] ??= problemText(problem);
      setFieldErrors(errors);
      setMessage(errorText(error));
      const first = problems[0];
      if (first) focusField(first.field);
    },
    [errorText, problemText, fieldIds, focusField],
  );

  const start = useCallback(() => {
    setPending(true);
    setMessage(undefined);
  }, []);

  /** Runs the request with the form pending, and shows its failure through `fail`. */
  const submit = useCallback(
    async (work: () => Promise<void>) => {
      start();
      try {
        await work();
      } catch (error) {
        fail(error);
      } finally {
        setPending(false);
      }
    },
    [start, fail],
  );

  return { form, pending, setPending, start, message, setMessage, fieldErrors, setFieldErrors, validate, fail, submit };
}

/** A button that says what it is doing while the request runs. */
export const SubmitButton = forwardRef<HTMLButtonElement, { pending: boolean; label: string; pendingLabel: string }>(
  function SubmitButton({ pending, label, pendingLabel }, ref) {
    return (
      <button ref={ref} type="submit" className="button button--primary" disabled={pending} aria-disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    );
  },
);

type PresetProps = Omit<FieldProps, 'label' | 'hint' | 'type' | 'autoComplete'>;

/** An e-mail address used to sign in; `autocomplete=username` lets password managers fill it. */
export const EmailField = forwardRef<HTMLInputElement, PresetProps>(function EmailField(props, ref) {
  const { t } = useTranslation();
  return (
    <Field
      ref={ref}
      label={t('fields.email.label')}
      type="email"
      autoComplete="username"
      inputMode="email"
      spellCheck={false}
      required
      {...props}
    />
  );
});

/** A password being chosen, with the policy explained before the person types. */
export const NewPasswordField = forwardRef<HTMLInputElement, PresetProps>(function NewPasswordField(props, ref) {
  const { t } = useTranslation();
  return (
    <Field
      ref={ref}
      label={t('fields.newPassword.label')}
      hint={t('fields.password.policy', { min: PASSWORD_MIN_LENGTH })}
      type="password"
      autoComplete="new-password"
      required
      {...props}
    />
  );
});

/** The authenticator app's 6-digit code; `one-time-code` lets phones offer it from the app. */
export const TotpCodeField = forwardRef<HTMLInputElement, PresetProps>(function TotpCodeField(props, ref) {
  const { t } = useTranslation();
  return (
    <Field
      ref={ref}
      label={t('fields.totp.label')}
      hint={t('fields.totp.hint')}
      className="field--code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      required
      {...props}
    />
  );
});
