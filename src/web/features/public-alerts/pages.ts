/** The public alert pages, one chunk: the list and one alert, in Spanish and in English. */
export { EnglishAlertListPage, SpanishAlertListPage } from './AlertListPage';
export { AlertPage, EnglishAlertPage, SpanishAlertPage, type AccountabilitySlot } from './AlertPage';
