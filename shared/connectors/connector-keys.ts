import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { config } from '#shared/config.ts';

/**
 * Partners' API keys, in Secrets Manager (locally the runtime's stand-in, infra/local/secrets-manager.ts, reached
 * the same way through AWS_ENDPOINT_URL_SECRETS_MANAGER). The invariants:
 *
 * - A key is only ever written here and read back by the function that sends with it: the table holds the
 *   secret's name, never the key; no answer and no log line carries it.
 * - Every name is under the stage's prefix (`CONNECTOR_SECRET_PREFIX`), which is all the functions are granted:
 *   a connector can neither read nor overwrite any other secret of the account.
 * - A removed key is scheduled for deletion with a recovery window, not destroyed at once: an operator's slip can
 *   be undone (`aws secretsmanager restore-secret`), and setting the connector again restores and replaces it.
 */

/** Days a removed key can still be restored (Secrets Manager allows 7 to 30). */
export const recoveryWindowDays = 7;

let client: SecretsManagerClient | undefined;
const secrets = () => (client ??= new SecretsManagerClient({}));

/** For tests that point the client elsewhere between runs. */
export function resetConnectorKeys(): void {
  client = undefined;
}

export function connectorSecretName(kind: 'action-network', slug: string, partner: string): string {
  return `${config().CONNECTOR_SECRET_PREFIX}${kind}/${slug}/${partner}`;
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

/** Stores the key under `name`: a new secret, a new version of the existing one, or a deleted one restored. */
export async function putConnectorKey(name: string, key: string, description: string): Promise<void> {
  const kmsKey = config().CONNECTOR_SECRET_KMS_KEY;
  try {
    await secrets().send(new CreateSecretCommand({ Name: name, SecretString: key, Description: description, ...(kmsKey ? { KmsKeyId: kmsKey } : {}) }));
    return;
  } catch (error) {
    // Exists (set before), or exists and is scheduled for deletion (removed before): both become a new version.
    if (errorName(error) === 'InvalidRequestException') await secrets().send(new RestoreSecretCommand({ SecretId: name }));
    else if (errorName(error) !== 'ResourceExistsException') throw error;
  }
  await secrets().send(new PutSecretValueCommand({ SecretId: name, SecretString: key }));
}

/** The key, or undefined when there is none (removed, or never set). */
export async function readConnectorKey(name: string): Promise<string | undefined> {
  try {
    const { SecretString } = await secrets().send(new GetSecretValueCommand({ SecretId: name }));
    return SecretString || undefined;
  } catch (error) {
    // Not found, or scheduled for deletion: the connector was removed meanwhile.
    if (errorName(error) === 'ResourceNotFoundException' || errorName(error) === 'InvalidRequestException') return undefined;
    throw error;
  }
}

/** Schedules the key's deletion; a key already gone is not an error. */
export async function deleteConnectorKey(name: string): Promise<void> {
  try {
    await secrets().send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: recoveryWindowDays }));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException' || errorName(error) === 'InvalidRequestException') return;
    throw error;
  }
}
