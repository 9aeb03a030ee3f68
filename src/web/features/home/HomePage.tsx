import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../components/use-document-title';
import { SystemStatus } from './SystemStatus';
import './home.css';

const STEPS = ['report', 'document', 'verify', 'patterns', 'alerts', 'statistics'] as const;

/** What Vigía is, how a report becomes an alert, the do-no-harm promise, and the server's health. */
export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('home.title'));
  return (
    <>
      <section className="intro" aria-labelledby="home-heading">
        <h1 id="home-heading">{t('home.heading')}</h1>
        <p className="lead">{t('home.intro')}</p>
      </section>

      <section id="how-it-works" className="how" aria-labelledby="how-heading">
        <h2 id="how-heading">{t('home.how.heading')}</h2>
        <ol className="steps">
          {STEPS.map((step) => (
            <li key={step} className="step">
              <h3>{t(`home.how.${step}.title`)}</h3>
              <p>{t(`home.how.${step}.text`)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section className="harm" aria-labelledby="harm-heading">
        <h2 id="harm-heading">{t('home.harm.heading')}</h2>
        <p>{t('home.harm.text')}</p>
      </section>

      <SystemStatus />
    </>
  );
}
