import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { httpEvent } from '#test/support/http-event.ts';

// The secrets a function is given are read from Secrets Manager once per container, as its first invocation
// begins, never at module scope: importing the code costs no round trip.
const secrets = mockClient(SecretsManagerClient);

/** A fresh copy of the modules, as a new container has: nothing read yet. */
async function container() {
  vi.resetModules();
  const config = await import('#shared/config.ts');
  const { invocation } = await import('#shared/triggers/invocation.ts');
  return { ...config, invocation };
}

beforeEach(() => {
  secrets.reset();
  vi.stubEnv('TOKEN_SECRET', undefined);
  vi.stubEnv('CURSOR_SECRET', undefined);
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("a function's secrets", () => {
  it('are not read when the code is loaded, then once, before the first invocation runs, and kept', async () => {
    vi.stubEnv('TOKEN_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:000000000000:secret:links');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'links-secret-from-secrets-manager' });
    const { config, invocation } = await container();
    expect(config().TOKEN_SECRET).toBeUndefined();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    const handler = invocation<unknown, string | undefined>('schedule').handler(() => Promise.resolve(config().TOKEN_SECRET));
    expect(await handler({}, {} as Context)).toBe('links-secret-from-secrets-manager');
    expect(await handler({}, {} as Context)).toBe('links-secret-from-secrets-manager');
    expect(secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([{ SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:links' }]);
  });

  it('are in before an HTTP handler runs, and a failed read answers 500 problem+json without running it', async () => {
    vi.stubEnv('TOKEN_SECRET_ARN', 'arn:links');
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('AccessDenied')).resolves({ SecretString: 'links-secret-0123456789' });
    const { config } = await container();
    const { httpHandler } = await import('#shared/http/handler.ts');
    const { defineRoute } = await import('#shared/http/route-definition.ts');
    const ran: (string | undefined)[] = [];
    const handler = httpHandler(defineRoute({ method: 'GET', path: '/things', name: 'UnitTest', tag: 'Service', summary: 'A test route', responses: {} }), () => {
      ran.push(config().TOKEN_SECRET);
      return Promise.resolve({ statusCode: 204 });
    });
    const failed = await handler(httpEvent({ route: '/things' }), lambdaContext('UnitTest', 10));
    expect([failed.statusCode, failed.headers?.['content-type']]).toEqual([500, 'application/problem+json']);
    expect(ran).toEqual([]);
    expect((await handler(httpEvent({ route: '/things' }), lambdaContext('UnitTest', 10))).statusCode).toBe(204);
    expect(ran).toEqual(['links-secret-0123456789']);
  });

  it('read both at once when a function is given both', async () => {
    vi.stubEnv('TOKEN_SECRET_ARN', 'arn:links');
    vi.stubEnv('CURSOR_SECRET_ARN', 'arn:cursors');
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:links' }).resolves({ SecretString: 'links-secret-0123456789' });
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:cursors' }).resolves({ SecretString: 'cursor-secret-0123456789' });
    const { config, secretsRead } = await container();
    await secretsRead();
    expect([config().TOKEN_SECRET, config().CURSOR_SECRET]).toEqual(['links-secret-0123456789', 'cursor-secret-0123456789']);
  });

  it('are never asked for without an ARN, nor when the value is already set', async () => {
    vi.stubEnv('CURSOR_SECRET_ARN', 'arn:cursors');
    vi.stubEnv('CURSOR_SECRET', 'set-by-the-environment-already');
    const { secretsRead } = await container();
    await secretsRead();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('fail the invocation when empty or unreadable, and are asked for again by the next one', async () => {
    vi.stubEnv('TOKEN_SECRET_ARN', 'arn:links');
    secrets.on(GetSecretValueCommand).resolvesOnce({}).rejectsOnce(new Error('AccessDenied')).resolves({ SecretString: 'links-secret-0123456789' });
    const { invocation, config } = await container();
    const handler = invocation<unknown, string | undefined>('schedule').handler(() => Promise.resolve(config().TOKEN_SECRET));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(handler({}, {} as Context)).rejects.toThrow('The secret behind TOKEN_SECRET_ARN is empty');
    await expect(handler({}, {} as Context)).rejects.toThrow('AccessDenied');
    expect(await handler({}, {} as Context)).toBe('links-secret-0123456789');
  });
});
