import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AppConfig } from '../config';
import { type Logger } from '../logger';
import { type ConsoleSignIn, createConsoleHandler } from './console';
import { createGraphiqlHandler } from './graphiql';
import { defaultWebAssetsDir } from './webApp';

/** How the admin console signs administrators in: through the platform when CONSOLE_TOKEN_URL is set, else a pasted token. */
const consoleSignIn = (config: AppConfig): ConsoleSignIn =>
  config.console.tokenUrl === null
    ? { signIn: 'token', development: config.auth.mode === 'dev' }
    : { signIn: 'platform', tokenUrl: config.console.tokenUrl, signInUrl: config.console.signInUrl };

/** The browser pages: the admin console at / and GraphiQL. */
export const webPages = (config: AppConfig, webAssetsDir: string | undefined, logger: Logger) => {
  const assetsDir = webAssetsDir ?? defaultWebAssetsDir();
  const adminConsole = createConsoleHandler({
    assetsDir,
    signIn: consoleSignIn(config),
    onError: (error) => logger.error({ err: error }, 'serving the admin console failed'),
  });
  const graphiql = createGraphiqlHandler({ assetsDir, onError: (error) => logger.error({ err: error }, 'serving GraphiQL failed') });
  if (config.production && config.console.tokenUrl === null) {
    logger.warn(
      'CONSOLE_TOKEN_URL is not set: the admin console asks administrators to paste an access token instead of taking it from the platform’s sign-in',
    );
  }
  return (req: IncomingMessage, res: ServerResponse) => adminConsole(req, res) || graphiql(req, res);
};
