import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Switch } from 'wouter';
import { WEB_PAGES, type WebPage } from '../domain/web-routes';
import { Layout } from './components/Layout';
import { HomePage } from './features/home/HomePage';
import { loadCatalogue, type CataloguePart } from './i18n';

// Rarely visited, so it is not worth a byte of the first download.
const NotFoundPage = lazy(() => import('./features/not-found/NotFoundPage'));
// Only the people who work in Vigía sign in; the public who read the home page never pay for these
// pages, nor for their strings, which arrive with them.
function withStrings<T>(part: CataloguePart, page: Promise<T>): Promise<T> {
  return Promise.all([page, loadCatalogue(part)]).then(([module]) => module);
}
const withPeopleStrings = <T,>(page: Promise<T>) => withStrings('people', page);
// Reporting must work for someone who never signs in, on a weak connection: its own small part.
const ReportPage = lazy(() => withStrings('report', import('./features/report/ReportPage')));
const ReceiptPage = lazy(() => withStrings('report', import('./features/report/ReceiptPage')));
// A member's report: the reporting strings, and the people pages' for signing in on the way.
const MemberReportPage = lazy(() => withStrings('report', withPeopleStrings(import('./features/report/MemberReportPage'))));
const SignInPage = lazy(() => withPeopleStrings(import('./features/sign-in/SignInPage')));
const TwoFactorChallengePage = lazy(() => withPeopleStrings(import('./features/sign-in/TwoFactorChallengePage')));
const TwoFactorEnrolPage = lazy(() => withPeopleStrings(import('./features/sign-in/TwoFactorEnrolPage')));
const AccountPage = lazy(() => withPeopleStrings(import('./features/account/AccountPage')));
const InvitationPage = lazy(() => withPeopleStrings(import('./features/invitation/InvitationPage')));
const RequestResetPage = lazy(() => withPeopleStrings(import('./features/password-reset/RequestResetPage')));
const ResetPasswordPage = lazy(() => withPeopleStrings(import('./features/password-reset/ResetPasswordPage')));
const OrganizationPage = lazy(() => withPeopleStrings(import('./features/organization/OrganizationPage')));
const WebhooksPage = lazy(() => withPeopleStrings(import('./features/organization/WebhooksPage')));
const AuditPage = lazy(() => withPeopleStrings(import('./features/audit/AuditPage')));
// The record's pages bring their own strings too (and the people pages', for errors and forms).
function withIncidentStrings<T>(page: Promise<T>): Promise<T> {
  return withStrings('incidents', withPeopleStrings(page));
}
const IncidentSearchPage = lazy(() => withStrings('alerts', withIncidentStrings(import('./features/incidents/SearchPage'))));
const IncidentPage = lazy(() => withIncidentStrings(import('./features/incidents/IncidentPage')));
const IncidentHistoryPage = lazy(() => withIncidentStrings(import('./features/incidents/HistoryPage')));
const ReviewQueuePage = lazy(() => withIncidentStrings(import('./features/incidents/ReviewQueuePage')));
const ImportExportPage = lazy(() => withIncidentStrings(import('./features/import-export/ImportExportPage')));
const EvidenceCustodyPage = lazy(() => withIncidentStrings(import('./features/evidence/CustodyPage')));
// Triage and the incident editor: one chunk for the three editor pages, which share the form.
const TriageInboxPage = lazy(() => withPeopleStrings(import('./features/triage/InboxPage')));
const TriageReportPage = lazy(() => withPeopleStrings(import('./features/triage/ReportPage')));
const editorPages = () => withPeopleStrings(import('./features/incident-editor/pages'));
const IncidentFromReportPage = lazy(() => editorPages().then((m) => ({ default: m.IncidentFromReportPage })));
const NewIncidentPage = lazy(() => editorPages().then((m) => ({ default: m.NewIncidentPage })));
const EditIncidentPage = lazy(() => editorPages().then((m) => ({ default: m.EditIncidentPage })));
// Alert drafting: one chunk for its four pages, with its own strings.
const alertPages = () => withStrings('alerts', withPeopleStrings(import('./features/alerts/pages')));
const AlertListPage = lazy(() => alertPages().then((m) => ({ default: m.AlertListPage })));
const NewAlertPage = lazy(() => alertPages().then((m) => ({ default: m.NewAlertPage })));
const AlertEditorPage = lazy(() => alertPages().then((m) => ({ default: m.AlertEditorPage })));
const AlertHistoryPage = lazy(() => alertPages().then((m) => ({ default: m.AlertHistoryPage })));
const AlertFollowUpPage = lazy(() => withStrings('alerts', withPeopleStrings(import('./features/alerts/FollowUpPage'))).then((m) => ({ default: m.AlertFollowUpPage })));
// Early warning: the signals inbox and the rules, one chunk, with the alert strings (signals become drafts).
const signalPages = () => withStrings('alerts', withPeopleStrings(import('./features/signals/pages')));
const SignalInboxPage = lazy(() => signalPages().then((m) => ({ default: m.SignalInboxPage })));
const AlertRulesPage = lazy(() => signalPages().then((m) => ({ default: m.AlertRulesPage })));
// Public alerts: their own small part, with their strings, for readers who arrive from a shared link.
const publicAlertPages = () => withStrings('publicAlerts', import('./features/public-alerts/pages'));
const SpanishAlertListPage = lazy(() => publicAlertPages().then((m) => ({ default: m.SpanishAlertListPage })));
const EnglishAlertListPage = lazy(() => publicAlertPages().then((m) => ({ default: m.EnglishAlertListPage })));
// Public statistics and open data: their own small part too, with their strings.
const statisticsPages = () => withStrings('statistics', import('./features/statistics/pages'));
const SpanishDashboardPage = lazy(() => statisticsPages().then((m) => ({ default: m.SpanishDashboardPage })));
const EnglishDashboardPage = lazy(() => statisticsPages().then((m) => ({ default: m.EnglishDashboardPage })));
const SpanishStatePage = lazy(() => statisticsPages().then((m) => ({ default: m.SpanishStatePage })));
const EnglishStatePage = lazy(() => statisticsPages().then((m) => ({ default: m.EnglishStatePage })));
const SpanishDataPage = lazy(() => statisticsPages().then((m) => ({ default: m.SpanishDataPage })));
const EnglishDataPage = lazy(() => statisticsPages().then((m) => ({ default: m.EnglishDataPage })));
const SpanishAlertPage = lazy(() => publicAlertPages().then((m) => ({ default: m.SpanishAlertPageWithAccountability })));
const EnglishAlertPage = lazy(() => publicAlertPages().then((m) => ({ default: m.EnglishAlertPageWithAccountability })));
const SpanishSubscribePage = lazy(() => publicAlertPages().then((m) => ({ default: m.SpanishSubscribePage })));
const EnglishSubscribePage = lazy(() => publicAlertPages().then((m) => ({ default: m.EnglishSubscribePage })));
const SpanishConfirmSubscriptionPage = lazy(() => publicAlertPages().then((m) => ({ default: m.SpanishConfirmSubscriptionPage })));
const EnglishConfirmSubscriptionPage = lazy(() => publicAlertPages().then((m) => ({ default: m.EnglishConfirmSubscriptionPage })));
const SpanishUnsubscribePage = lazy(() => publicAlertPages().then((m) => ({ default: m.SpanishUnsubscribePage })));
const EnglishUnsubscribePage = lazy(() => publicAlertPages().then((m) => ({ default: m.EnglishUnsubscribePage })));

/**
 * One component per page the server knows (src/domain/web-routes.ts): the type makes forgetting one a
 * compile error, so the server's 200/404 answer and what the app shows cannot drift apart.
 */
const PAGES: Record<WebPage, ComponentType> = {
  home: HomePage,
  signIn: SignInPage,
  twoFactorChallenge: TwoFactorChallengePage,
  twoFactorEnrol: TwoFactorEnrolPage,
  account: AccountPage,
  invitation: InvitationPage,
  passwordResetRequest: RequestResetPage,
  passwordReset: ResetPasswordPage,
  organization: OrganizationPage,
  organizationWebhooks: WebhooksPage,
  audit: AuditPage,
  report: ReportPage,
  reportStatus: ReceiptPage,
  memberReport: MemberReportPage,
  incidentSearch: IncidentSearchPage,
  incident: IncidentPage,
  incidentHistory: IncidentHistoryPage,
  reviewQueue: ReviewQueuePage,
  evidenceCustody: EvidenceCustodyPage,
  triageInbox: TriageInboxPage,
  triageReport: TriageReportPage,
  incidentFromReport: IncidentFromReportPage,
  incidentNew: NewIncidentPage,
  incidentImportExport: ImportExportPage,
  incidentEdit: EditIncidentPage,
  alertList: AlertListPage,
  alertNew: NewAlertPage,
  alertFollowUp: AlertFollowUpPage,
  alertEdit: AlertEditorPage,
  alertHistory: AlertHistoryPage,
  signalInbox: SignalInboxPage,
  alertRules: AlertRulesPage,
  alerts: SpanishAlertListPage,
  alert: SpanishAlertPage,
  alertsEn: EnglishAlertListPage,
  alertEn: EnglishAlertPage,
  statistics: SpanishDashboardPage,
  statisticsState: SpanishStatePage,
  openData: SpanishDataPage,
  statisticsEn: EnglishDashboardPage,
  statisticsStateEn: EnglishStatePage,
  openDataEn: EnglishDataPage,
  subscribe: SpanishSubscribePage,
  subscribeEn: EnglishSubscribePage,
  subscriptionConfirm: SpanishConfirmSubscriptionPage,
  subscriptionConfirmEn: EnglishConfirmSubscriptionPage,
  unsubscribe: SpanishUnsubscribePage,
  unsubscribeEn: EnglishUnsubscribePage,
};

const PAGE_NAMES = Object.keys(WEB_PAGES) as WebPage[];

export function App() {
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Switch>
          {PAGE_NAMES.map((name) => (
            <Route key={name} path={WEB_PAGES[name]} component={PAGES[name]} />
          ))}
          <Route component={NotFoundPage} />
        </Switch>
      </Suspense>
    </Layout>
  );
}

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}
