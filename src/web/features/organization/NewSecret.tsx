import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Field } from '../../components/form';

/** The words around a secret shown once, in the reader's language. */
export interface NewSecretText {
  heading: string;
  warning: string;
  label: string;
  copy: string;
  copied: string;
  copyManually: string;
  done: string;
}

/**
 * A new secret (an API token, a webhook's signing secret), shown once: read-only, selected on focus,
 * with a copy button, the warning, and `children` for what the reader needs to know to use it.
 */
export function NewSecret({ id, secret, text, onDone, children }: { id: string; secret: string; text: NewSecretText; onDone: () => void; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string>();

  // The form the person used is gone: bring them to the secret and its warning.
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    field.current?.select();
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(text.copied);
    } catch {
      // No clipboard access (an insecure origin, a refused permission): the text is selected instead.
      setCopied(text.copyManually);
    }
  }

  return (
    <div className="new-secret">
      <h3 ref={heading} tabIndex={-1}>
        {text.heading}
      </h3>
      <p className="new-secret__warning">{text.warning}</p>
      {children}
      <Field
        ref={field}
        id={id}
        label={text.label}
        className="field--secret"
        readOnly
        value={secret}
        spellCheck={false}
        autoComplete="off"
        onFocus={(event) => event.target.select()}
      />
      <div className="new-secret__actions">
        <button type="button" className="button" onClick={() => void copy()}>
          {text.copy}
        </button>
        <button type="button" className="button button--primary" onClick={onDone}>
          {text.done}
        </button>
      </div>
      <p role="status" className="new-secret__copied">
        {copied}
      </p>
    </div>
  );
}
