import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { STATISTICS_PATHS } from '../../domain/statistics-paths';
import { WEB_PAGES } from '../../domain/web-routes';
import { LanguageSwitch } from './LanguageSwitch';
import { SessionMenu } from './SessionMenu';
import { useSession } from '../session/session';
import { workspaceLinks } from '../session/workspace';

/** The frame every page shares: skip link, header with navigation and language, main, footer. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage === 'en' ? 'en' : 'es';
  const [location] = useLocation();
  const session = useSession();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // A client-side navigation changes the content without a page load, so screen readers and keyboard
  // users would stay where they were; moving focus to the new content is what a page load would do.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
    window.scrollTo(0, 0);
  }, [location]);

  const workspace = workspaceLinks(session.state.status === 'signedIn' ? session.state.session : null);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipLink')}
      </a>
      <header className="site-header">
        <div className="wrap site-header__inner">
          <Link href={WEB_PAGES.home} className="brand" aria-label={t('nav.homeLink')}>
            {t('app.name')}
          </Link>
          <nav className="site-nav" aria-label={t('nav.label')}>
            <ul>
              <li>
                <Link href={WEB_PAGES.home} aria-current={location === WEB_PAGES.home ? 'page' : undefined}>
                  {t('nav.home')}
                </Link>
              </li>
              <li>
                <Link href={WEB_PAGES.report} aria-current={location === WEB_PAGES.report ? 'page' : undefined}>
                  {t('nav.report')}
                </Link>
              </li>
              <li>
                <Link href={STATISTICS_PATHS[language].dashboard} aria-current={location === STATISTICS_PATHS[language].dashboard ? 'page' : undefined}>
                  {t('nav.statistics')}
                </Link>
              </li>
              <li>
                <a href={`${WEB_PAGES.home}#how-it-works`}>{t('nav.howItWorks')}</a>
              </li>
              {workspace.map((item) => (
                <li key={item.page}>
                  <Link href={WEB_PAGES[item.page]} aria-current={location === WEB_PAGES[item.page] ? 'page' : undefined}>
                    {t(item.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <SessionMenu />
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="wrap site-main">
        {children}
      </main>
      <footer className="site-footer">
        <div className="wrap">
          <p>{t('footer.licence', { licence: 'AGPL-3.0-or-later' })}</p>
          <p>{t('footer.credits')}</p>
          <p>
            <a href="/api/docs">{t('footer.apiDocs')}</a>
          </p>
        </div>
      </footer>
    </>
  );
}
