/** The public alert pages, one chunk: the list and one alert, in Spanish and in English, and the e-mail subscription pages. */
import { createElement } from 'react';
import { PublicAccountability } from '../accountability/PublicAccountability';
import { AlertPage } from './AlertPage';
export { EnglishAlertListPage, SpanishAlertListPage } from './AlertListPage';
export { AlertPage, EnglishAlertPage, SpanishAlertPage, type AccountabilitySlot } from './AlertPage';
export * from './SubscriptionPages';

/** One public alert with the public account of which authorities answered it. */
export const SpanishAlertPageWithAccountability = () => createElement(AlertPage, { language: 'es', accountability: (a) => createElement(PublicAccountability, a) });
export const EnglishAlertPageWithAccountability = () => createElement(AlertPage, { language: 'en', accountability: (a) => createElement(PublicAccountability, a) });
