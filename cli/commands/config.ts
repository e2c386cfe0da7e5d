import { readFileSync } from 'node:fs';
import { Command, Argument } from 'commander';
import { configPath, normaliseUrl, readConfig, resolveConnection, writeConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { Context } from '../output.ts';

const mask = (token: string) => (token.length <= 8 ? '•'.repeat(token.length) : `${token.slice(0, 4)}…${token.slice(-4)}`);

export function configCommand(): Command {
  const config = new Command('config')
    .summary('show or store the URL and token')
    .description(`the config file (${configPath()}, or $TADAMON_CONFIG): the URL and token used when no flag or variable gives them`);

  config
    .command('show')
    .description('the URL and token in effect, and where each comes from (the token masked)')
    .action((_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const { url, token, login, sources } = resolveConnection(command.optsWithGlobals());
      const shown = token ?? login?.stored.accessToken;
      const value = {
        configFile: configPath(),
        url,
        urlFrom: sources.url,
        token: shown ? mask(shown) : null,
        tokenFrom: sources.token ?? null,
        ...(login ? { signedInAs: login.stored.signInName ?? login.stored.username, userPoolId: login.stored.userPoolId, accessTokenExpiresAt: login.stored.expiresAt } : {}),
      };
      ctx.result(value, () => {
        ctx.say(`config file  ${value.configFile}`);
        ctx.say(`url          ${url}   (from the ${sources.url})`);
        ctx.say(`token        ${shown ? `${mask(shown)}   (from the ${sources.token})` : '(none)'}`);
        if (login) ctx.say(`signed in    ${login.stored.signInName ?? login.stored.username} in ${login.stored.userPoolId}; access token renewed after ${login.stored.expiresAt}`);
      });
    });

  config
    .command('set')
    .description("store the URL or the token in the config file ('-' reads the value from standard input, keeping a token out of shell history)")
    .addArgument(new Argument('<key>').choices(['url', 'token']))
    .argument('<value>')
    .action((key: 'url' | 'token', value: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const given = value === '-' ? readFileSync(0, 'utf8').trim() : value.trim();
      if (!given) throw new UsageError(`No ${key} given.`);
      const file = configPath();
      const current = readConfig(file);
      writeConfig({ ...current, [key]: key === 'url' ? normaliseUrl(given, 'flag') : given }, file);
      ctx.result({ configFile: file, [key]: key === 'token' ? mask(given) : given }, () => ctx.say(`Stored the ${key} in ${file}.`));
    });

  return config;
}
