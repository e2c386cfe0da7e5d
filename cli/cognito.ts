import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { CommandFailed, ConnectionError, UsageError } from './errors.ts';

/** The operators' user pool and the CLI's app client (the stack's `UserPoolId` and `UserPoolClientId` outputs). */
export interface UserPoolSettings {
  userPoolId: string;
  clientId: string;
  /** A Cognito-compatible endpoint instead of AWS's (TADAMON_COGNITO_ENDPOINT), for a stand-in. */
  endpoint?: string | undefined;
}

export interface Tokens {
  /** The pool's user name (not the e-mail alias typed at sign-in): what a refresh is made for. */
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** When the access token stops being accepted (ISO 8601). */
  expiresAt: string;
}

/** What a sign-in may have to ask the person at the keyboard, depending on the state of their account. */
export interface SignInDialog {
  /** First sign-in with the temporary password an administrator set: choose a real one. */
  newPassword(): Promise<string>;
  /** No authenticator app yet (the pool requires one): show the secret, return the app's first code. */
  enrolAuthenticator(secret: string, username: string): Promise<string>;
  /** The six-digit code from the authenticator app. */
  code(): Promise<string>;
}

// The library keeps tokens in a Storage; the CLI keeps its own copy in the config file, so this one lives in memory.
class MemoryStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

const userPoolId = /^[\w-]+_[0-9a-zA-Z]+$/;

/** Refuses what cannot be a user pool id, before anyone is asked for a password. */
export function checkUserPoolId(id: string): void {
  if (!userPoolId.test(id)) {
    throw new UsageError(`"${id}" is not a user pool id.`, { hints: ['It looks like eu-west-1_AbCdEf123 (the stack output UserPoolId).'] });
  }
}

function pool(settings: UserPoolSettings): CognitoUserPool {
  checkUserPoolId(settings.userPoolId);
  return new CognitoUserPool({
    UserPoolId: settings.userPoolId,
    ClientId: settings.clientId,
    Storage: new MemoryStorage(),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
}

function tokensOf(session: CognitoUserSession): Tokens {
  const access = session.getAccessToken();
  const username = access.decodePayload().username;
  return {
    username: typeof username === 'string' ? username : '',
    accessToken: access.getJwtToken(),
    idToken: session.getIdToken().getJwtToken(),
    refreshToken: session.getRefreshToken().getToken(),
    expiresAt: new Date(access.getExpiration() * 1000).toISOString(),
  };
}

// Cognito's error names, said as what to do about them.
function explain(error: unknown, endpoint: string): Error {
  const e = error as { name?: string; code?: string; message?: string };
  const name = e.code ?? e.name ?? '';
  const message = e.message || name || String(error);
  switch (name) {
    case 'NotAuthorizedException':
      return new CommandFailed(`Cognito refused: ${message}`, ['Check the e-mail address and password; after repeated failures Cognito locks the account for a while.']);
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
    case 'ExpiredCodeException':
      return new CommandFailed(`The authenticator code was not accepted: ${message}`, [
        'Codes change every 30 seconds; check the phone clock is right, then run `tadamon login` again.',
      ]);
    case 'InvalidPasswordException':
      return new CommandFailed(`The new password was refused: ${message}`, ['At least 14 characters with upper and lower case letters, a digit and a symbol.']);
    case 'PasswordResetRequiredException':
      return new CommandFailed(`Cognito says: ${message}`, ['An administrator must reset the password (admin-reset-user-password), then sign in with the new one.']);
    case 'UserNotConfirmedException':
    case 'UserNotFoundException':
      return new CommandFailed(`Cognito says: ${message}`, ['Operators are added by an administrator (see "Add an operator" in docs/operating.md).']);
    case 'InvalidParameterException':
    case 'ResourceNotFoundException':
      return new CommandFailed(`Cognito says: ${message}`, ['Check --user-pool-id and --client-id against the stack outputs UserPoolId and UserPoolClientId.']);
    default:
      if (message === 'Network error' || /fetch failed|ECONNREFUSED|ENOTFOUND/.test(message)) {
        return new ConnectionError(`Cannot reach Cognito at ${endpoint}.`, ['Check the network, and that the user pool id names the right region.']);
      }
      return new CommandFailed(`Sign-in failed: ${message}`);
  }
}

const endpointOf = (settings: UserPoolSettings) => settings.endpoint ?? `https://cognito-idp.${settings.userPoolId.split('_')[0]}.amazonaws.com/`;

/**
 * Signs in with SRP (the password never leaves this machine) and answers whatever challenges the account has:
 * a new password after an administrator's temporary one, enrolling an authenticator app, its code.
 */
export function signIn(settings: UserPoolSettings, username: string, password: string, dialog: SignInDialog): Promise<Tokens> {
  const userPool = pool(settings);
  return new Promise((resolve, reject) => {
    const user = new CognitoUser({ Username: username, Pool: userPool });
    const fail = (error: unknown) => reject(error instanceof CommandFailed || error instanceof UsageError ? error : explain(error, endpointOf(settings)));
    // Each challenge asks the person first, then answers Cognito; a failed question ends the sign-in.
    const ask = (question: () => Promise<void>) => void question().catch(fail);
    const callbacks: IAuthenticationCallback = {
      onSuccess: (session) => resolve(tokensOf(session)),
      onFailure: fail,
      newPasswordRequired: () => ask(async () => user.completeNewPasswordChallenge(await dialog.newPassword(), {}, callbacks)),
      mfaSetup: () =>
        user.associateSoftwareToken({
          associateSecretCode: (secret) => ask(async () => user.verifySoftwareToken(await dialog.enrolAuthenticator(secret, username), 'tadamon-cli', callbacks)),
          onFailure: fail,
        }),
      totpRequired: () => ask(async () => user.sendMFACode(await dialog.code(), callbacks, 'SOFTWARE_TOKEN_MFA')),
      selectMFAType: () => user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', callbacks),
      mfaRequired: () => fail(new CommandFailed('Cognito asked for an SMS code; operators sign in with an authenticator app only.')),
      customChallenge: () => fail(new CommandFailed('Cognito asked for a custom challenge, which the operator client does not use.')),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}

/** New access and id tokens for a refresh token (the refresh token itself stays the same). */
export function refreshTokens(settings: UserPoolSettings, username: string, refreshToken: string): Promise<Tokens> {
  const user = new CognitoUser({ Username: username, Pool: pool(settings) });
  return new Promise((resolve, reject) => {
    user.refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), (error: unknown, session: CognitoUserSession | null) => {
      if (error || !session) return reject(explain(error, endpointOf(settings)));
      resolve(tokensOf(session));
    });
  });
}

/** Revokes a refresh token and the access tokens made from it. */
export function revokeRefreshToken(settings: UserPoolSettings, username: string, refreshToken: string): Promise<void> {
  // revokeToken exists on CognitoUser (signOut uses it) but is missing from the library's type declarations.
  const user = new CognitoUser({ Username: username, Pool: pool(settings) }) as CognitoUser & {
    revokeToken(request: { token: string; callback: (error?: unknown) => void }): void;
  };
  return new Promise((resolve, reject) => {
    user.revokeToken({ token: refreshToken, callback: (error?: unknown) => (error ? reject(explain(error, endpointOf(settings))) : resolve()) });
  });
}
