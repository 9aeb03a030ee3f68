import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormMessage, useErrorText } from './form';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown; message: string }
  | { status: 'loaded'; data: T };

/**
 * Something a page reads from the API: loaded when the component mounts and whenever `load` changes
 * (wrap it in useCallback with what it depends on), again on `reload()`, and never set from an answer
 * that arrives after the component left or after a newer request.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): {
  resource: Resource<T>;
  reload: () => Promise<void>;
  set: (data: T) => void;
} {
  const errorText = useErrorText();
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const latest = useRef<AbortController>(undefined);

  const run = useCallback(async () => {
    latest.current?.abort();
    const controller = new AbortController();
    latest.current = controller;
    try {
      const data = await load(controller.signal);
      if (!controller.signal.aborted) setResource({ status: 'loaded', data });
    } catch (error) {
      if (!controller.signal.aborted) setResource({ status: 'failed', error, message: errorText(error) });
    }
  }, [load, errorText]);

  useEffect(() => {
    setResource({ status: 'loading' });
    void run();
    return () => latest.current?.abort();
  }, [run]);

  const set = useCallback((data: T) => setResource({ status: 'loaded', data }), []);
  return { resource, reload: run, set };
}

/** What a reader sees of a resource: "loading", the failure, or `children` with the data. */
export function ResourceView<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (resource.status === 'loading') {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (resource.status === 'failed') {
    return (
      <div className="form-message form-message--error" role="alert">
        <p>{resource.message}</p>
      </div>
    );
  }
  return <>{children(resource.data)}</>;
}

/** A list from the API (`{ data: [...] }`) as `ResourceView` shows it, with `empty` said when there is none. */
export function ListView<T>({
  resource,
  empty,
  children,
}: {
  resource: Resource<{ data: T[] }>;
  empty: string;
  children: (items: T[]) => ReactNode;
}) {
  return <ResourceView resource={resource}>{({ data }) => (data.length === 0 ? <p>{empty}</p> : children(data))}</ResourceView>;
}

export type ActionMessage = { kind: 'error' | 'success'; text: string };

/** The live regions where `useAction` reports: one for failures (an alert), one for confirmations. */
export function ActionMessages({ message }: { message: ActionMessage | undefined }) {
  return (
    <>
      <FormMessage message={message?.kind === 'error' ? message.text : undefined} />
      <FormMessage message={message?.kind === 'success' ? message.text : undefined} kind="success" />
    </>
  );
}

/**
 * A button's action that reports its outcome in the section's live regions: `run(work)` shows the
 * sentence `work` resolves to, or the error (through `describeError`, else the common wording), and
 * then returns focus to `focusAfter` (the button pressed may be gone with its row).
 */
export function useAction(describeError?: (error: unknown) => string | undefined) {
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage>();
  const focusAfter = useRef<HTMLHeadingElement>(null);

  const run = useCallback(
    async (work: () => Promise<string>) => {
      setBusy(true);
      setMessage(undefined);
      try {
        setMessage({ kind: 'success', text: await work() });
      } catch (error) {
        setMessage({ kind: 'error', text: describeError?.(error) ?? errorText(error) });
      } finally {
        setBusy(false);
        focusAfter.current?.focus();
      }
    },
    [describeError, errorText],
  );

  return { busy, message, setMessage, run, focusAfter };
}
