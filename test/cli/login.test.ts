import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCognitoStandIn, type CognitoStandIn } from '#test/support/cognito-stand-in.ts';
import { startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'cli', 'bin.js');
const work = mkdtempSync(path.join(tmpdir(), 'tadamon-login-'));
const temporaryPassword = 'Temporary-Password-1';
const chosenPassword = 'Solidarity-Forever-2026!';

let cognito: CognitoStandIn;
let stack: LocalProcess;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A prompt the CLI writes on stderr, and how a person would answer it (given everything on stderr so far). */
type Answer = [RegExp, (stderr: string) => string];

/**
 * Runs the CLI in a child process with standard input as a pipe, answering each prompt when it appears,
 * in order, like a person at the keyboard. `configFile` is the operator's own: each test has one.
 */
function tadamon(configFile: string, args: string[], answers: Answer[] = []): Promise<Run> {
  const { TADAMON_URL: _url, TADAMON_TOKEN: _token, ...inherited } = process.env;
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...inherited, TADAMON_CONFIG: configFile, TADAMON_COGNITO_ENDPOINT: cognito.endpoint },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let answered = 0;
  let seen = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Each prompt is answered once, looking only at what was written after the previous prompt.
    while (answered < answers.length) {
      const [prompt, answer] = answers[answered]!;
      const match = prompt.exec(stderr.slice(seen));
      if (!match) break;
      seen += match.index + match[0].length;
      answered++;
      child.stdin.write(`${answer(stderr)}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const codeFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
const storedConfig = (configFile: string) => JSON.parse(readFileSync(configFile, 'utf8')) as { url?: string; token?: string; login?: Record<string, string> };
const loginArgs = (email: string) => ['login', '--user-pool-id', 'local-1_Operators', '--username', email];

interface Operator {
  email: string;
  configFile: string;
  /** The authenticator app's secret. */
  secret: string;
}

/**
 * An operator of the calling test's own, enrolled already (password chosen, authenticator set up) and signed in
 * once, so the config file remembers the pool and the app client: no test depends on another's sign-in.
 */
async function signedInOperator(name: string): Promise<Operator> {
  const operator = { email: `${name}@example.org`, configFile: path.join(work, `${name}.json`), secret: new Secret({ size: 20 }).base32 };
  cognito.addUser(operator.email, chosenPassword, { temporary: false }).totpSecret = operator.secret;
  const run = await tadamon(operator.configFile, [...loginArgs(operator.email), '--client-id', cognito.clientId], [
    [/Password:/, () => chosenPassword],
    [/Authenticator code:/, () => codeFor(operator.secret)],
  ]);
  expect(run.stderr).not.toContain('Error');
  expect(run.code).toBe(0);
  return operator;
}

describe('tadamon login: an operator signs in to Cognito (SRP + TOTP) and the API accepts the token', () => {
  beforeAll(async () => {
    cognito = await startCognitoStandIn();
    stack = await startLocalProcess({ DATA_DIR: path.join(work, 'data'), DEMO_DATA: '0', OPERATOR_JWT_ISSUER: cognito.issuer, OPERATOR_JWT_AUDIENCE: cognito.clientId });
  });

  afterAll(async () => {
    await stack?.stop();
    await cognito?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('takes a first sign-in through the new password and the authenticator enrolment, and keeps the tokens', async () => {
    const email = 'coordinator@example.org';
    const configFile = path.join(work, 'coordinator.json');
    cognito.addUser(email, temporaryPassword, { temporary: true });
    cognito.calls.length = 0;
    const run = await tadamon(
      configFile,
      [...loginArgs(email), '--client-id', cognito.clientId, '--url', stack.url],
      [
        [/Password:/, () => temporaryPassword],
        [/New password:/, () => 'too-short'],
        [/New password again:/, () => 'too-short-typo'],
        [/did not match[\s\S]*New password:/, () => chosenPassword],
        [/New password again:/, () => chosenPassword],
        [/The code the app now shows:/, (stderr) => codeFor(/secret key\s+([A-Z2-7]+)/.exec(stderr)![1]!)],
      ],
    );
    expect(run.stderr).toContain('otpauth://totp/Tadamon%3Acoordinator%40example.org?secret=');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Signed in as ${email}`);
    expect(cognito.calls).toEqual([
      'InitiateAuth USER_SRP_AUTH',
      'RespondToAuthChallenge PASSWORD_VERIFIER',
      'RespondToAuthChallenge NEW_PASSWORD_REQUIRED',
      'AssociateSoftwareToken',
      'VerifySoftwareToken',
      'RespondToAuthChallenge MFA_SETUP',
    ]);
    expect(cognito.user(email)).toMatchObject({ password: chosenPassword, temporary: false });
    expect(cognito.user(email).totpSecret).toMatch(/^[A-Z2-7]+$/);

    // The password itself never went over the wire (SRP), and the file is for its owner only.
    const text = readFileSync(configFile, 'utf8');
    expect(text).not.toContain(chosenPassword);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const { login } = storedConfig(configFile);
    expect(login).toMatchObject({ userPoolId: 'local-1_Operators', clientId: cognito.clientId, username: cognito.user(email).sub, signInName: email });
    expect(Date.parse(login!.expiresAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('sends the access token to operator routes, which record the Cognito user as the actor', async () => {
    const { email, configFile } = await signedInOperator('actor');
    const tadamonAs = (args: string[]) => tadamon(configFile, args);
    const created = await tadamonAs(['campaign', 'create', path.join(root, 'infra', 'local', 'demo-campaigns', 'free-nasser-zefzafi.md'), '--url', stack.url]);
    expect(created.stderr).not.toContain('Error');
    expect(created.code).toBe(0);
    const history = await tadamonAs(['offset', 'history', 'free-nasser-zefzafi', '--url', stack.url, '--json']);
    expect(history.code).toBe(0);
    const items = (JSON.parse(history.stdout) as { items: { by: string }[] }).items;
    expect(items[0]?.by).toBe(`cognito:${cognito.user(email).sub}`);

    const shown = await tadamonAs(['config', 'show', '--url', stack.url]);
    expect(shown.stdout).toMatch(/from the stored sign-in/);
    expect(shown.stdout).toContain(`signed in    ${email} in local-1_Operators`);

    // The local admin token is no use while the runtime stands in for API Gateway's JWT authorizer.
    const withAdminToken = await tadamonAs(['campaign', 'list', '--url', stack.url, '--token', stack.adminToken || 'anything']);
    expect(withAdminToken.code).toBe(1);
    expect(withAdminToken.stderr).toContain('Unauthorized (401)');
  });

  it('signs in again with the authenticator code, remembering the pool and client, and refuses a wrong code or password', async () => {
    const { email, configFile, secret } = await signedInOperator('again');
    const wrongCode = await tadamon(configFile, loginArgs(email), [
      [/Password:/, () => chosenPassword],
      [/Authenticator code:/, () => String((Number(codeFor(secret)) + 500_000) % 1_000_000).padStart(6, '0')],
    ]);
    expect(wrongCode.code).toBe(1);
    expect(wrongCode.stderr).toContain('The authenticator code was not accepted');

    const wrongPassword = await tadamon(configFile, loginArgs(email), [[/Password:/, () => temporaryPassword]]);
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr).toContain('Incorrect username or password');

    const before = storedConfig(configFile).login!.refreshToken;
    cognito.calls.length = 0;
    const again = await tadamon(configFile, loginArgs(email), [
      [/Password:/, () => chosenPassword],
      [/Authenticator code:/, () => 'not a code'],
      [/six digits[\s\S]*Authenticator code:/, () => codeFor(secret)],
    ]);
    expect(again.code).toBe(0);
    expect(cognito.calls).toEqual(['InitiateAuth USER_SRP_AUTH', 'RespondToAuthChallenge PASSWORD_VERIFIER', 'RespondToAuthChallenge SOFTWARE_TOKEN_MFA']);
    expect(storedConfig(configFile).login!.refreshToken).not.toBe(before);
  });

  it('at a terminal, does not echo the password', async () => {
    const { email, configFile, secret } = await signedInOperator('terminal');
    // `script` gives the CLI a pseudo-terminal, so it asks the way it asks a person at a keyboard.
    const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, bin, ...loginArgs(email)].map(quote).join(' ');
    const { TADAMON_URL: _url, TADAMON_TOKEN: _token, ...inherited } = process.env;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env: { ...inherited, TADAMON_CONFIG: configFile, TADAMON_COGNITO_ENDPOINT: cognito.endpoint },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let step = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (step === 0 && output.includes('Password:')) {
        step = 1;
        child.stdin.write(`${chosenPassword}\r`);
      } else if (step === 1 && output.includes('Authenticator code:')) {
        step = 2;
        child.stdin.write(`${codeFor(secret)}\r`);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(output).toContain('Signed in as');
    expect(code).toBe(0);
    expect(output).not.toContain(chosenPassword);
    expect(output).toContain('*'.repeat(chosenPassword.length));
  });

  it('renews an access token that is about to run out, and writes the new one back', async () => {
    const { configFile } = await signedInOperator('renewer');
    const stored = storedConfig(configFile);
    // As if an hour had passed: the stored expiry is in the past.
    writeFileSync(configFile, JSON.stringify({ ...stored, login: { ...stored.login, expiresAt: new Date(Date.now() - 1000).toISOString() } }), { mode: 0o600 });
    cognito.calls.length = 0;
    const listed = await tadamon(configFile, ['campaign', 'list', '--url', stack.url, '--json']);
    expect(listed.code).toBe(0);
    expect(cognito.calls).toEqual(['InitiateAuth REFRESH_TOKEN_AUTH']);
    const renewed = storedConfig(configFile).login!;
    expect(renewed.accessToken).not.toBe(stored.login!.accessToken);
    expect(renewed.refreshToken).toBe(stored.login!.refreshToken);
    expect(Date.parse(renewed.expiresAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('logs out: the refresh token is revoked and forgotten, and operator commands need a sign-in again', async () => {
    const { email, configFile } = await signedInOperator('leaver');
    const refreshToken = storedConfig(configFile).login!.refreshToken;
    cognito.calls.length = 0;
    const out = await tadamon(configFile, ['logout']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('revoked and removed');
    expect(cognito.calls).toContain('RevokeToken');
    expect(storedConfig(configFile).login).toBeUndefined();

    const after = await tadamon(configFile, ['campaign', 'list', '--url', stack.url]);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('No operator token given');
    expect(after.stderr).toContain('tadamon login');

    // The revoked refresh token no longer renews anything.
    const login = { userPoolId: 'local-1_Operators', clientId: cognito.clientId, username: cognito.user(email).sub, accessToken: 'x.y.z', idToken: 'x.y.z', refreshToken, expiresAt: new Date(0).toISOString() };
    writeFileSync(configFile, JSON.stringify({ login }), { mode: 0o600 });
    const stale = await tadamon(configFile, ['campaign', 'list', '--url', stack.url]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('could not be renewed');
    expect(stale.stderr).toContain('Refresh Token has been revoked');
  });

  it('explains a missing user pool, and an app client the pool does not have', async () => {
    const email = 'misconfigured@example.org';
    // A config file that remembers no pool or client.
    const configFile = path.join(work, 'never-signed-in.json');
    const missing = await tadamon(configFile, ['login', '--username', email]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--user-pool-id and --client-id');

    const notAPool = await tadamon(configFile, ['login', '--user-pool-id', 'operators', '--client-id', cognito.clientId, '--username', email]);
    expect(notAPool.code).toBe(2);
    expect(notAPool.stderr).toContain('"operators" is not a user pool id');
    expect(notAPool.stderr).not.toContain('Password:');

    const wrongClient = await tadamon(configFile, [...loginArgs(email), '--client-id', 'no-such-client'], [[/Password:/, () => chosenPassword]]);
    expect(wrongClient.code).toBe(1);
    expect(wrongClient.stderr).toContain('UserPoolClientId');
  });
});
