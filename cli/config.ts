import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Tokens } from './cognito.ts';
import { UsageError } from './errors.ts';

/** An operator's Cognito sign-in, kept by `tadamon login` and refreshed as its access token runs out. */
export interface StoredLogin extends Tokens {
  userPoolId: string;
  clientId: string;
  /** The e-mail address typed at sign-in, for people (`username` is the pool's id for the account). */
  signInName?: string;
}

/**
 * What the config file holds (`tadamon config set` and `tadamon login` write it). A `token` is used as it is
 * (the local admin token); a `login` gives a Cognito access token, refreshed when needed.
 */
export interface ConfigFile {
  url?: string;
  token?: string;
  login?: StoredLogin;
}

export interface Connection {
  url: string;
  /** A bearer token given as such: flag, variable or the config file's `token`. */
  token: string | undefined;
  /** Otherwise the stored Cognito sign-in, and the file to write refreshed tokens to. */
  login?: { stored: StoredLogin; file: string } | undefined;
  /** Where each value came from, for error hints. */
  sources: { url: Source; token: Source | undefined };
}

export type Source = 'flag' | 'environment' | 'config file' | 'stored sign-in';

const loginFields = ['userPoolId', 'clientId', 'username', 'accessToken', 'idToken', 'refreshToken', 'expiresAt'] as const;

/** `$TADAMON_CONFIG`, or `~/.config/tadamon/config.json` (under `$XDG_CONFIG_HOME` when that is set). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TADAMON_CONFIG) return path.resolve(env.TADAMON_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'tadamon', 'config.json');
}

export function readConfig(file = configPath()): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`Cannot read the config file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The config file ${file} is not valid JSON: ${(error as Error).message}`, {
      hints: ['It holds an object such as {"url": "http://localhost:3000", "token": "…"}.'],
    });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`The config file ${file} must hold a JSON object.`);
  const config = data as Record<string, unknown>;
  for (const key of ['url', 'token'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'string') throw new UsageError(`"${key}" in the config file ${file} must be a string.`);
  }
  if (config.login !== undefined) {
    const login = config.login as Record<string, unknown> | null;
    const broken = !login || typeof login !== 'object' || loginFields.some((field) => typeof login[field] !== 'string') || !['string', 'undefined'].includes(typeof login.signInName);
    if (broken) {
      throw new UsageError(`"login" in the config file ${file} is incomplete.`, { hints: ['Run `tadamon login` again, or `tadamon logout` to remove it.'] });
    }
  }
  return config as ConfigFile;
}

/** Writes the config file readable by its owner only, atomically (a crash leaves the old file). */
export function writeConfig(config: ConfigFile, file = configPath()): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export function normaliseUrl(value: string, source: Source): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`The API URL from the ${source} is not a URL: "${value}".`, { hints: ['Example: --url http://localhost:3000'] });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`The API URL must be http or https, not ${url.protocol}`);
  return url.href.replace(/\/+$/, '');
}

/** URL and token: `--url`/`--token`, then `TADAMON_URL`/`TADAMON_TOKEN`, then the config file. */
export function resolveConnection(flags: { url?: string | undefined; token?: string | undefined }, env: NodeJS.ProcessEnv = process.env): Connection {
  let file: ConfigFile | undefined;
  const fromFile = () => (file ??= readConfig(configPath(env)));
  const pick = (flag: string | undefined, variable: string | undefined, key: 'url' | 'token'): [string, Source] | undefined => {
    if (flag) return [flag, 'flag'];
    if (variable) return [variable, 'environment'];
    const value = fromFile()[key];
    return value ? [value, 'config file'] : undefined;
  };
  const url = pick(flags.url, env.TADAMON_URL, 'url');
  if (!url) {
    throw new UsageError('No API URL given.', {
      hints: [`Pass --url http://localhost:3000, set TADAMON_URL, or put "url" in ${configPath(env)}.`],
    });
  }
  const token = pick(flags.token, env.TADAMON_TOKEN, 'token');
  const login = token ? undefined : fromFile().login;
  return {
    url: normaliseUrl(url[0], url[1]),
    token: token?.[0],
    ...(login ? { login: { stored: login, file: configPath(env) } } : {}),
    sources: { url: url[1], token: token?.[1] ?? (login ? 'stored sign-in' : undefined) },
  };
}
