import { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand, PutSecretValueCommand, RestoreSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSecretsManager, type SecretsState } from '#infra/local/secrets-manager.ts';
import { StateFile } from '#infra/local/state-file.ts';

describe('the local Secrets Manager, through the AWS SDK', () => {
  let clock = Date.UTC(2036, 0, 1);
  const state = new StateFile<SecretsState>(undefined, { secrets: {} });
  const service = new LocalSecretsManager(state, () => clock);
  let client: SecretsManagerClient;
  const name = 'tadamon/local/action-network/free-them/amnesty-ma';
  const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error as Error).name);

  beforeAll(async () => {
    const endpoint = await service.listen();
    client = new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(() => service.close());

  it('creates a secret once, reads it back by name or ARN, and gives it new values', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: 'first-key-0123456789' }));
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:.*:secret:${name}-[0-9a-f]{6}$`));
    expect(await errorOf(client.send(new CreateSecretCommand({ Name: name, SecretString: 'again' })))).toBe('ResourceExistsException');
    expect((await client.send(new GetSecretValueCommand({ SecretId: created.ARN }))).SecretString).toBe('first-key-0123456789');
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'second-key-0123456789' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('second-key-0123456789');
  });

  it('schedules a deletion within a recovery window: unreadable meanwhile, restorable, gone after it', async () => {
    expect(await errorOf(client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 3 })))).toBe('InvalidParameterException');
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate?.getTime()).toBe(clock + 7 * 86_400_000);
    expect(await errorOf(client.send(new GetSecretValueCommand({ SecretId: name })))).toBe('InvalidRequestException');
    expect(await errorOf(client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'x-key' })))).toBe('InvalidRequestException');
    expect(await errorOf(client.send(new CreateSecretCommand({ Name: name, SecretString: 'x-key' })))).toBe('InvalidRequestException');

    await client.send(new RestoreSecretCommand({ SecretId: name }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('second-key-0123456789');

    await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    clock += 7 * 86_400_000;
    expect(await errorOf(client.send(new GetSecretValueCommand({ SecretId: name })))).toBe('ResourceNotFoundException');
    expect(state.get().secrets).toEqual({});
  });

  it('refuses a secret without a value and a name Secrets Manager would refuse', async () => {
    expect(await errorOf(client.send(new CreateSecretCommand({ Name: 'tadamon/local/empty' })))).toBe('InvalidParameterException');
    expect(await errorOf(client.send(new CreateSecretCommand({ Name: 'has space', SecretString: 'k' })))).toBe('InvalidParameterException');
    expect(await errorOf(client.send(new GetSecretValueCommand({ SecretId: 'tadamon/local/never' })))).toBe('ResourceNotFoundException');
  });
});
