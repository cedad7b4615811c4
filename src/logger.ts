import pino, { Logger } from 'pino';
import type { Config } from './config/config';

export type { Logger };

/** Structured JSON logs; `LOG_FORMAT=pretty` for a readable dev format. Secrets are redacted. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, name = 'csms'): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
    transport: config.LOG_FORMAT === 'pretty' ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined,
  });
}
