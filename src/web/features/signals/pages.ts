/** The early-warning workspace pages (issue 5): the signals inbox and the rules. One chunk, with the alert strings. */
export { SignalInboxPage } from './SignalInbox';
export { AlertRulesPage } from './AlertRules';
