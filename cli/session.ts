import { refreshTokens, type UserPoolSettings } from './cognito.ts';
import { readConfig, writeConfig, type Connection, type StoredLogin } from './config.ts';
import { CliError, CommandFailed } from './errors.ts';

// Refresh a little before the end, so a token does not run out between here and API Gateway's authorizer.
const refreshMarginMs = 2 * 60_000;

export function userPoolSettings(login: Pick<StoredLogin, 'userPoolId' | 'clientId'>, env: NodeJS.ProcessEnv = process.env): UserPoolSettings {
  return { userPoolId: login.userPoolId, clientId: login.clientId, endpoint: env.TADAMON_COGNITO_ENDPOINT || undefined };
}

/**
 * The bearer token for operator routes: a token given as such, else the stored sign-in's access token,
 * refreshed (and written back to the config file) when it is about to run out.
 */
export async function bearerToken(connection: Connection, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (connection.token) return connection.token;
  const login = connection.login;
  if (!login) return undefined;
  if (Date.parse(login.stored.expiresAt) - Date.now() > refreshMarginMs) return login.stored.accessToken;

  let fresh;
  try {
    fresh = await refreshTokens(userPoolSettings(login.stored, env), login.stored.username, login.stored.refreshToken);
  } catch (error) {
    const reason = error instanceof CliError ? error.message : String(error);
    throw new CommandFailed(`The stored sign-in of ${login.stored.username} could not be renewed: ${reason}`, [
      'Sign-ins last 12 hours (or until `tadamon logout`); run `tadamon login` again.',
    ]);
  }
  const renewed: StoredLogin = { ...login.stored, ...fresh, refreshToken: fresh.refreshToken || login.stored.refreshToken };
  // Re-read the file so a URL stored meanwhile by another command is kept.
  writeConfig({ ...readConfig(login.file), login: renewed }, login.file);
  login.stored = renewed;
  return renewed.accessToken;
}
