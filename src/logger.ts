import pino from 'pino';

/** The structured logger every part of the service writes to. */
export type Logger = pino.Logger;

/** A JSON logger on stdout that never writes bearer tokens. */
export const createLogger = (level: string = 'info'): Logger =>
  pino({
    level,
    base: { service: 'authorization-code-clients' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' },
  });

/** A logger that drops everything, for tests and tools. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
