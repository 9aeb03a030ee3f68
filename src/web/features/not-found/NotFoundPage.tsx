import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { WEB_PAGES } from '../../../domain/web-routes';
import { useDocumentTitle } from '../../components/use-document-title';

/** Shown for any path the app has no page for; the server has already answered it with status 404. */
export default function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <section className="not-found" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <Link href={WEB_PAGES.home}>{t('notFound.home')}</Link>
      </p>
    </section>
  );
}
