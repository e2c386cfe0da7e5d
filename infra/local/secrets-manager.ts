import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StateFile } from './state-file.ts';

/**
 * A Secrets Manager for one machine: the AWS JSON 1.1 protocol the SDK speaks (`X-Amz-Target:
 * secretsmanager.<Action>`) for the actions connectors use (CreateSecret, PutSecretValue, GetSecretValue,
 * DeleteSecret with a recovery window, RestoreSecret), with the errors AWS answers in the same cases, so the code
 * that keeps partners' keys runs unchanged on a laptop. Secrets live in the DATA_DIR (readable by its owner only).
 */

interface StoredSecret {
  arn: string;
  value: string;
  versionId: string;
  createdAt: number;
  /** Set once deletion is scheduled: the secret can be restored until then, and read by nobody. */
  deleteAt?: number;
}

export interface SecretsState {
  secrets: Record<string, StoredSecret>;
}

class SecretsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const namePattern = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const maxSecretBytes = 65_536;
const day = 86_400_000;

export class LocalSecretsManager {
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  constructor(
    private readonly state: StateFile<SecretsState>,
    private readonly now: () => number = Date.now,
  ) {}

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    try {
      if (req.method !== 'POST' || !target.startsWith('secretsmanager.')) throw new SecretsError('InvalidRequestException', 'Send AWS JSON 1.1 requests (X-Amz-Target: secretsmanager.<Action>).');
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new SecretsError('InvalidParameterException', 'The request body is not JSON.');
      }
      send(200, this.action(target.slice('secretsmanager.'.length), input));
    } catch (error) {
      if (error instanceof SecretsError) {
        send(400, { __type: error.type, message: error.message });
        return;
      }
      // Never the request: it may hold a secret.
      console.error('secrets manager: request failed:', error instanceof Error ? error.name : 'error');
      send(500, { __type: 'InternalServiceError', message: 'internal error' });
    }
  }

  private action(action: string, input: Record<string, unknown>): unknown {
    this.purge();
    switch (action) {
      case 'CreateSecret': {
        const name = String(input.Name ?? '');
        if (!namePattern.test(name)) throw new SecretsError('InvalidParameterException', 'Name must be 1 to 512 of A-Z a-z 0-9 /_+=.@-.');
        const existing = this.state.get().secrets[name];
        if (existing?.deleteAt !== undefined) throw new SecretsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
        if (existing) throw new SecretsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
        const value = secretString(input);
        const secret: StoredSecret = { arn: `arn:aws:secretsmanager:local:000000000000:secret:${name}-${randomBytes(3).toString('hex')}`, value, versionId: randomUUID(), createdAt: this.now() };
        this.state.update((s) => void (s.secrets[name] = secret));
        return { ARN: secret.arn, Name: name, VersionId: secret.versionId };
      }
      case 'PutSecretValue': {
        const [name, secret] = this.live(input.SecretId);
        const value = secretString(input);
        const versionId = randomUUID();
        this.state.update((s) => void (s.secrets[name] = { ...secret, value, versionId }));
        return { ARN: secret.arn, Name: name, VersionId: versionId, VersionStages: ['AWSCURRENT'] };
      }
      case 'GetSecretValue': {
        const [name, secret] = this.live(input.SecretId);
        return { ARN: secret.arn, Name: name, VersionId: secret.versionId, SecretString: secret.value, VersionStages: ['AWSCURRENT'], CreatedDate: secret.createdAt / 1000 };
      }
      case 'DeleteSecret': {
        const [name, secret] = this.find(input.SecretId);
        const force = input.ForceDeleteWithoutRecovery === true;
        const days = input.RecoveryWindowInDays === undefined ? 30 : Number(input.RecoveryWindowInDays);
        if (force && input.RecoveryWindowInDays !== undefined) throw new SecretsError('InvalidParameterException', 'Use either RecoveryWindowInDays or ForceDeleteWithoutRecovery, not both.');
        if (!force && (!Number.isInteger(days) || days < 7 || days > 30)) throw new SecretsError('InvalidParameterException', 'RecoveryWindowInDays must be 7 to 30.');
        if (secret.deleteAt !== undefined && !force) throw new SecretsError('InvalidRequestException', 'You tried to perform the operation on a secret that is currently marked deleted.');
        const deleteAt = force ? this.now() : this.now() + days * day;
        this.state.update((s) => {
          if (force) s.secrets = without(s.secrets, [name]);
          else s.secrets[name] = { ...secret, deleteAt };
        });
        return { ARN: secret.arn, Name: name, DeletionDate: deleteAt / 1000 };
      }
      case 'RestoreSecret': {
        const [name, secret] = this.find(input.SecretId);
        this.state.update((s) => {
          const { deleteAt: _deleteAt, ...restored } = secret;
          s.secrets[name] = restored;
        });
        return { ARN: secret.arn, Name: name };
      }
      default:
        throw new SecretsError('InvalidRequestException', `The local Secrets Manager does not do ${action}.`);
    }
  }

  /** By name or ARN, deleted or not. */
  private find(id: unknown): [string, StoredSecret] {
    const wanted = String(id ?? '');
    const found = Object.entries(this.state.get().secrets).find(([name, secret]) => name === wanted || secret.arn === wanted);
    if (!found) throw new SecretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return found;
  }

  /** A secret that is not scheduled for deletion: the only kind that can be read or given a new value. */
  private live(id: unknown): [string, StoredSecret] {
    const found = this.find(id);
    if (found[1].deleteAt !== undefined) throw new SecretsError('InvalidRequestException', 'You tried to perform the operation on a secret that is currently marked deleted.');
    return found;
  }

  /** Secrets whose recovery window has ended are gone, as on AWS. */
  private purge(): void {
    const ended = Object.entries(this.state.get().secrets).filter(([, secret]) => secret.deleteAt !== undefined && secret.deleteAt <= this.now());
    if (ended.length) this.state.update((s) => void (s.secrets = without(s.secrets, ended.map(([name]) => name))));
  }
}

function without(secrets: SecretsState['secrets'], names: string[]): SecretsState['secrets'] {
  return Object.fromEntries(Object.entries(secrets).filter(([name]) => !names.includes(name)));
}

function secretString(input: Record<string, unknown>): string {
  if (typeof input.SecretString !== 'string' || input.SecretString.length === 0) throw new SecretsError('InvalidParameterException', 'SecretString is required (SecretBinary is not kept locally).');
  if (Buffer.byteLength(input.SecretString, 'utf8') > maxSecretBytes) throw new SecretsError('InvalidParameterException', `A secret holds at most ${maxSecretBytes} bytes.`);
  return input.SecretString;
}
