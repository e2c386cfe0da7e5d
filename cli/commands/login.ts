import { Command, Option } from 'commander';
import { checkUserPoolId, revokeRefreshToken, signIn, type SignInDialog } from '../cognito.ts';
import { configPath, readConfig, writeConfig, type StoredLogin } from '../config.ts';
import { UsageError } from '../errors.ts';
import { Context } from '../output.ts';
import { Prompter } from '../prompt.ts';
import { userPoolSettings } from '../session.ts';

interface LoginOptions {
  userPoolId?: string;
  clientId?: string;
  username?: string;
}

const sixDigits = /^\d{6}$/;

async function askCode(prompter: Prompter, question: string): Promise<string> {
  for (;;) {
    const code = (await prompter.ask(question)).replace(/\s+/g, '');
    if (sixDigits.test(code)) return code;
    process.stderr.write('The code is the six digits the authenticator app shows.\n');
  }
}

function dialog(prompter: Prompter): SignInDialog {
  return {
    async newPassword() {
      process.stderr.write('This is the first sign-in with a temporary password: choose your own (at least 14 characters with upper and lower case, a digit and a symbol).\n');
      for (;;) {
        const first = await prompter.ask('New password:', { secret: true });
        const again = await prompter.ask('New password again:', { secret: true });
        if (first && first === again) return first;
        process.stderr.write('The two did not match; once more.\n');
      }
    },
    async enrolAuthenticator(secret, username) {
      const label = encodeURIComponent(`Tadamon:${username}`);
      process.stderr.write(
        [
          'Operators must use an authenticator app (TOTP). Add this account to yours:',
          `  secret key  ${secret}`,
          `  or the URI  otpauth://totp/${label}?secret=${secret}&issuer=Tadamon`,
          '',
        ].join('\n'),
      );
      return askCode(prompter, 'The code the app now shows:');
    },
    code: () => askCode(prompter, 'Authenticator code:'),
  };
}

export function loginCommands(): Command[] {
  const login = new Command('login')
    .summary('sign in as an operator on AWS (Cognito)')
    .description(
      'Signs in to the operators\' Cognito user pool (SRP: the password is never sent) with the authenticator app\'s code, and keeps the ' +
        'tokens in the config file (mode 600). Later commands send the access token and renew it (sign-ins last 12 hours). Handles the ' +
        'first sign-in too: a new password after an administrator\'s temporary one, and enrolling an authenticator app. At a terminal ' +
        'the password is asked without echo; from a pipe, answers are read one per line.',
    )
    .addOption(new Option('--user-pool-id <id>', 'the stack output UserPoolId (or TADAMON_USER_POOL_ID; remembered)'))
    .addOption(new Option('--client-id <id>', 'the stack output UserPoolClientId (or TADAMON_CLIENT_ID; remembered)'))
    .option('--username <email>', 'the operator\'s e-mail address (asked if not given)')
    .addHelpText('after', '\nExample:\n  tadamon login --user-pool-id eu-west-1_AbCdEf123 --client-id 1example23456789 --username coordinator@example.org')
    .action(async (options: LoginOptions, command: Command) => {
      const ctx = Context.of(command);
      const file = configPath();
      const config = readConfig(file);
      const userPoolId = options.userPoolId ?? process.env.TADAMON_USER_POOL_ID ?? config.login?.userPoolId;
      const clientId = options.clientId ?? process.env.TADAMON_CLIENT_ID ?? config.login?.clientId;
      if (!userPoolId || !clientId) {
        throw new UsageError('Which user pool? Give --user-pool-id and --client-id.', {
          hints: ['They are the stack outputs UserPoolId and UserPoolClientId (`aws cloudformation describe-stacks --stack-name Tadamon-<stage>`).'],
        });
      }
      checkUserPoolId(userPoolId);
      const prompter = new Prompter();
      try {
        const username = options.username ?? (await prompter.ask('E-mail address:'));
        const password = await prompter.ask('Password:', { secret: true });
        if (!username || !password) throw new UsageError('Both the e-mail address and the password are needed.');
        const settings = userPoolSettings({ userPoolId, clientId });
        const tokens = await signIn(settings, username, password, dialog(prompter));
        const stored: StoredLogin = { userPoolId, clientId, signInName: username, ...tokens };
        // A stored plain token would win over the sign-in (see resolveConnection), so it goes.
        const { token: replaced, ...rest } = readConfig(file);
        writeConfig({ ...rest, login: stored }, file);
        ctx.result({ configFile: file, username, userPoolId, expiresAt: tokens.expiresAt }, () => {
          ctx.say(`Signed in as ${username}. The tokens are in ${file}; they are renewed as needed until ${'`tadamon logout`'} or 12 hours.`);
          if (replaced) ctx.say('The token stored there before was removed.');
        });
      } finally {
        prompter.close();
      }
    });

  const logout = new Command('logout')
    .summary('sign out: revoke the stored sign-in and forget it')
    .description('Revokes the stored refresh token at Cognito (and with it the access tokens made from it) and removes the sign-in from the config file.')
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const file = configPath();
      const { login: stored, ...rest } = readConfig(file);
      if (!stored) {
        ctx.result({ configFile: file, signedOut: false }, () => ctx.say(`No sign-in is stored in ${file}.`));
        return;
      }
      let revoked = true;
      try {
        await revokeRefreshToken(userPoolSettings(stored), stored.username, stored.refreshToken);
      } catch (error) {
        revoked = false;
        ctx.note(`Cognito did not confirm the revocation (${(error as Error).message}); the sign-in is removed here anyway and ends within 12 hours.`);
      }
      writeConfig(rest, file);
      ctx.result({ configFile: file, signedOut: true, revoked }, () => ctx.say(`Signed out; the sign-in was ${revoked ? 'revoked and ' : ''}removed from ${file}.`));
    });

  return [login, logout];
}
