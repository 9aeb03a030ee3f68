import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, useLocation } from 'wouter';
import { WEB_PAGES } from '../../domain/web-routes';
import type { CurrentSession } from '../api/auth';
import { pendingMfaStep, useSession } from './session';

const NEXT_PARAM = 'siguiente';

/** `path?siguiente=<next>`, so that signing in brings the person back to the page they asked for. */
export function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?${NEXT_PARAM}=${encodeURIComponent(next)}` : path;
}

/**
 * Where to go once signed in: the `siguiente` of the query string when it is a path of this site
 * (never another origin: `//host` or `/\\host` would be an open redirect), else the account page.
 */
export function nextFrom(search: string): string {
  const next = new URLSearchParams(search).get(NEXT_PARAM);
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) return next;
  return WEB_PAGES.account;
}

/** Where a signed-in session goes next: its pending second-factor step, or `next`. */
export function destinationFor(session: CurrentSession, next: string): string {
  const step = pendingMfaStep(session);
  if (step === 'challenge') return withNext(WEB_PAGES.twoFactorChallenge, next);
  if (step === 'enrol') return withNext(WEB_PAGES.twoFactorEnrol, next);
  return next;
}

/**
 * Renders `children` for a signed-in person whose session has passed its second factor (or, with
 * `pendingMfa`, one that is still waiting for it). Anyone else is sent where they can get there:
 * sign-in, the two-factor challenge, or two-factor set-up.
 */
export function RequireSession({
  children,
  pendingMfa = false,
}: {
  children: (session: CurrentSession) => ReactNode;
  pendingMfa?: boolean;
}) {
  const { t } = useTranslation();
  const { state, reload } = useSession();
  const [location] = useLocation();
  const unconfirmed = state.status === 'anonymous' && !state.confirmed;
  useEffect(() => {
    if (unconfirmed) void reload({ confirm: true });
  }, [unconfirmed, reload]);
  if (state.status === 'loading' || unconfirmed) {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (state.status === 'unavailable') {
    return (
      <div className="form-message form-message--error" role="alert">
        <p>{t('errors.network')}</p>
        <button type="button" className="button" onClick={() => void reload({ confirm: true })}>
          {t('errors.retry')}
        </button>
      </div>
    );
  }
  if (state.status === 'anonymous') return <Redirect to={withNext(WEB_PAGES.signIn, location)} replace />;
  if (!pendingMfa && pendingMfaStep(state.session)) {
    return <Redirect to={destinationFor(state.session, location)} replace />;
  }
  return <>{children(state.session)}</>;
}
