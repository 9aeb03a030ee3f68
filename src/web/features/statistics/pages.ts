/** The public statistics pages, one chunk: the dashboard, a state's page and the open data, in Spanish and English. */
import './statistics.css';
export { EnglishDashboardPage, SpanishDashboardPage } from './DashboardPage';
export { EnglishStatePage, SpanishStatePage } from './StatePage';
export { EnglishDataPage, SpanishDataPage } from './DataPage';
