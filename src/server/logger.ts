import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { LOG_REDACT_PATHS } from './app.js';

/** The process logger for code outside a request (start-up, worker, CLI), with the same redaction. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
  });
}
