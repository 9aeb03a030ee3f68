import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { authApi, type CurrentSession } from '../api/auth';
import { ApiError, setCsrfToken } from '../api/client';

export type SessionState =
  | { status: 'loading' }
  /**
   * `confirmed` is false when the app did not ask the server because this device holds no sign-in
   * hint (see `HINT_KEY`); pages that need a session ask anyway before sending the person away.
   */
  | { status: 'anonymous'; confirmed: boolean }
  | { status: 'signedIn'; session: CurrentSession }
  /** The server could not say (offline, down): neither "signed in" nor "signed out" would be true. */
  | { status: 'unavailable' };

interface SessionContextValue {
  state: SessionState;
  /**
   * Asks the server again; call after anything that starts, ends or upgrades a session. `confirm`
   * asks even without the sign-in hint.
   */
  reload(options?: { confirm?: boolean }): Promise<SessionState>;
  /** Records that this browser now holds a session (see `HINT_KEY`) and reloads. */
  signedIn(): Promise<SessionState>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/*
 * The session cookie is HttpOnly, so the app cannot see whether it has one. Asking the server on
 * every visit would cost every anonymous reader of the public pages a request (and a 401 in their
 * console); so the app remembers, on this device, that it signed in, and asks only then. Without
 * storage it always asks, which is correct, only slower.
 */
const HINT_KEY = 'vigia.signedIn';

function readHint(): boolean {
  try {
    return window.localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) window.localStorage.setItem(HINT_KEY, '1');
    else window.localStorage.removeItem(HINT_KEY);
  } catch {
    // Without storage the app asks the server every time (see readHint).
  }
}

const ANONYMOUS_UNCONFIRMED: SessionState = { status: 'anonymous', confirmed: false };

async function fetchSession(confirm: boolean): Promise<SessionState> {
  if (!confirm && !readHint()) {
    setCsrfToken(undefined);
    return ANONYMOUS_UNCONFIRMED;
  }
  try {
    const session = await authApi.session();
    setCsrfToken(session.csrfToken);
    return { status: 'signedIn', session };
  } catch (error) {
    setCsrfToken(undefined);
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      writeHint(false);
      return { status: 'anonymous', confirmed: true };
    }
    return { status: 'unavailable' };
  }
}

/** Who is signed in, for the whole app; loaded once at start and again after every change. */
export function SessionProvider({ children }: { children: ReactNode }) {
  // Without the hint the answer is known at once: the header is drawn final from the first paint (a
  // "Sign in" link arriving a moment later moved the whole page down on a phone, under a finger).
  const [state, setState] = useState<SessionState>(() => (readHint() ? { status: 'loading' } : ANONYMOUS_UNCONFIRMED));
  // Only the latest reload may set the state: an older, slower answer must not overwrite a newer one.
  const generation = useRef(0);

  const reload = useCallback(async (options?: { confirm?: boolean }) => {
    generation.current += 1;
    const mine = generation.current;
    const next = await fetchSession(options?.confirm ?? false);
    if (mine === generation.current) setState(next);
    return next;
  }, []);

  const signedIn = useCallback(() => {
    writeHint(true);
    return reload();
  }, [reload]);

  const signOut = useCallback(async () => {
    try {
      await authApi.signOut();
    } catch (error) {
      // An already-ended session is the outcome wanted; anything else must be shown to the person.
      if (!(error instanceof ApiError && error.code === 'UNAUTHENTICATED')) throw error;
    }
    writeHint(false);
    await reload();
  }, [reload]);

  // Only with the hint is there anything to ask; without it, asking would only repeat the first state
  // and, arriving after a page's own confirming request, overwrite its answer.
  useEffect(() => {
    if (readHint()) void reload();
  }, [reload]);

  // A session found without the hint (storage cleared, or a session started elsewhere in this
  // browser) restores it, so that the next visit to a public page shows the person signed in.
  useEffect(() => {
    if (state.status === 'signedIn') writeHint(true);
  }, [state]);

  const value = useMemo(() => ({ state, reload, signedIn, signOut }), [state, reload, signedIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

/** Where a signed-in person whose session still lacks its second factor must go next, if anywhere. */
export function pendingMfaStep(session: CurrentSession): 'challenge' | 'enrol' | undefined {
  if (session.mfa.verified) return undefined;
  if (session.mfa.enrolled) return 'challenge';
  return session.mfa.required ? 'enrol' : undefined;
}
