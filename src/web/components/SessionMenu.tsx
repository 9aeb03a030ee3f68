import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { WEB_PAGES } from '../../domain/web-routes';
import { useSession } from '../session/session';

/**
 * The header's account corner: "Sign in" for a visitor; the person's name (to their account page) and
 * "Sign out" once signed in. Nothing while the session is being checked, so it never flickers
 * between the two.
 */
export function SessionMenu() {
  const { t } = useTranslation();
  const { state, signOut } = useSession();
  const [location, navigate] = useLocation();
  const [failed, setFailed] = useState(false);

  if (state.status === 'loading') return null;
  if (state.status !== 'signedIn') {
    return (
      <Link href={WEB_PAGES.signIn} className="session-menu__link" aria-current={location === WEB_PAGES.signIn ? 'page' : undefined}>
        {t('header.signIn')}
      </Link>
    );
  }
  return (
    <div className="session-menu">
      <Link href={WEB_PAGES.account} className="session-menu__link" aria-current={location === WEB_PAGES.account ? 'page' : undefined}>
        <span className="visually-hidden">{t('header.account')} </span>
        {state.session.user.displayName}
      </Link>
      <button
        type="button"
        className="session-menu__button"
        onClick={() => {
          setFailed(false);
          signOut().then(
            () => navigate(WEB_PAGES.home),
            () => setFailed(true),
          );
        }}
      >
        {t('header.signOut')}
      </button>
      <span role="alert" className="session-menu__error">
        {failed ? t('header.signOutFailed') : ''}
      </span>
    </div>
  );
}
