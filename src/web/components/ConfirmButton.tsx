import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button for something that cannot be undone: the first press asks, in place, and only "yes" acts.
 * Focus moves to the question's "yes" and back to the button when the person says no.
 */
export function ConfirmButton({
  label,
  accessibleLabel,
  question,
  confirmLabel,
  cancelLabel,
  disabled,
  onConfirm,
}: {
  label: string;
  /** The button's name for screen readers when `label` alone does not say what it acts on. */
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  /** "Cancel" by default (from the people-and-access strings); pages without them name their own. */
  cancelLabel?: string;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);

  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (answered.current) button.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button ref={button} type="button" className="button" disabled={disabled} aria-label={accessibleLabel} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={question}>
      <p className="confirm__question">{question}</p>
      <button
        ref={yes}
        type="button"
        className="button button--danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          answered.current = true;
          setAsking(false);
        }}
      >
        {cancelLabel ?? t('common.cancel')}
      </button>
    </div>
  );
}
