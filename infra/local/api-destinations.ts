import type { EventPattern } from '#infra/manifest.ts';
import { redact } from '#shared/log-redaction.ts';
import type { BusEvent } from './event-bus.ts';
import { matches } from './event-pattern.ts';
import type { StateFile } from './state-file.ts';

/**
 * EventBridge API destinations for one machine: the control-plane calls a webhook's handlers make
 * (CreateConnection, CreateApiDestination, PutRule, PutTargets, RemoveTargets, DeleteRule, DeleteApiDestination,
 * DeleteConnection) and the delivery they set up: an event matching a rule is POSTed to its API destination with
 * the target's InputPath as the body and its HeaderParameters (static, or JSON paths into the original event) as
 * headers, with a 5 s timeout. Failures are retried with backoff, as EventBridge does for 24 hours, compressed into
 * a few attempts; then the event is dead-lettered. Every attempt is reported (`onAttempt`), which on AWS only a
 * dead letter is: locally the deliveries list shows status codes and attempts.
 *
 * Rules, destinations and connections are kept in a state file, so webhooks survive a restart as on AWS.
 */

export interface ApiDestinationState {
  connections: Record<string, { arn: string; headers: Record<string, string> }>;
  destinations: Record<string, { arn: string; connectionArn: string; endpoint: string; method: string }>;
  rules: Record<string, { arn: string; pattern: EventPattern; targets: Target[] }>;
}

interface Target {
  Id: string;
  Arn: string;
  InputPath?: string;
  HttpParameters?: { HeaderParameters?: Record<string, string> };
}

export interface AttemptReport {
  rule: string;
  event: BusEvent;
  attempt: number;
  statusCode?: number | undefined;
  error?: string | undefined;
  outcome: 'delivered' | 'retrying' | 'dead-lettered';
}

export interface ApiDestinationOptions {
  state: StateFile<ApiDestinationState>;
  onAttempt?: (report: AttemptReport) => Promise<void> | void;
  /** Attempts before the dead letter (EventBridge: up to 185 in 24 hours). */
  maxAttempts?: number;
  /** The first retry's wait; each next one doubles it. */
  backoffMs?: number;
}

const timeoutMs = 5_000;
const account = '000000000000';
const region = 'local';

export class LocalApiDestinations {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: ApiDestinationOptions) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
  }

  static initialState(): ApiDestinationState {
    return { connections: {}, destinations: {}, rules: {} };
  }

  /** The operations this answers, by `X-Amz-Target`. */
  handles(operation: string): boolean {
    return operation in this.operations;
  }

  call(operation: string, input: Record<string, unknown>): unknown {
    const op = this.operations[operation];
    if (!op) throw new LocalApiError('UnknownOperationException', `Unsupported operation ${operation}`);
    return op(input);
  }

  /** Deliveries for one event: one per target of every rule it matches. */
  deliveriesFor(event: BusEvent): Promise<void>[] {
    const { rules, destinations } = this.options.state.get();
    return Object.entries(rules).flatMap(([name, rule]) =>
      matches(rule.pattern, event)
        ? rule.targets.flatMap((target) => {
            const destination = Object.values(destinations).find((d) => d.arn === target.Arn);
            return destination ? [this.deliver(name, target, destination, event)] : [];
          })
        : [],
    );
  }

  private readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    'AWSEvents.CreateConnection': (input) => {
      const name = requiredName(input);
      const arn = `arn:aws:events:${region}:${account}:connection/${name}`;
      const apiKey = (input.AuthParameters as { ApiKeyAuthParameters?: { ApiKeyName?: string; ApiKeyValue?: string } } | undefined)?.ApiKeyAuthParameters;
      this.options.state.update((s) => {
        if (s.connections[name]) throw new LocalApiError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
        s.connections[name] = { arn, headers: apiKey?.ApiKeyName ? { [apiKey.ApiKeyName]: apiKey.ApiKeyValue ?? '' } : {} };
      });
      return { ConnectionArn: arn, ConnectionState: 'AUTHORIZED', CreationTime: Date.now() / 1000, LastModifiedTime: Date.now() / 1000 };
    },
    'AWSEvents.CreateApiDestination': (input) => {
      const name = requiredName(input);
      const arn = `arn:aws:events:${region}:${account}:api-destination/${name}`;
      this.options.state.update((s) => {
        if (s.destinations[name]) throw new LocalApiError('ResourceAlreadyExistsException', `API destination ${name} already exists.`);
        s.destinations[name] = { arn, connectionArn: String(input.ConnectionArn), endpoint: String(input.InvocationEndpoint), method: String(input.HttpMethod ?? 'POST') };
      });
      return { ApiDestinationArn: arn, ApiDestinationState: 'ACTIVE', CreationTime: Date.now() / 1000, LastModifiedTime: Date.now() / 1000 };
    },
    'AWSEvents.PutRule': (input) => {
      const name = requiredName(input);
      const arn = `arn:aws:events:${region}:${account}:rule/${name}`;
      const pattern = JSON.parse(String(input.EventPattern)) as EventPattern;
      this.options.state.update((s) => {
        s.rules[name] = { arn, pattern, targets: s.rules[name]?.targets ?? [] };
      });
      return { RuleArn: arn };
    },
    'AWSEvents.PutTargets': (input) => {
      const name = String(input.Rule);
      this.options.state.update((s) => {
        const rule = s.rules[name];
        if (!rule) throw new LocalApiError('ResourceNotFoundException', `Rule ${name} does not exist.`);
        const targets = (input.Targets as Target[]).map(({ Id, Arn, InputPath, HttpParameters }) => ({ Id, Arn, ...(InputPath ? { InputPath } : {}), ...(HttpParameters ? { HttpParameters } : {}) }));
        rule.targets = [...rule.targets.filter((t) => !targets.some((n) => n.Id === t.Id)), ...targets];
      });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    'AWSEvents.RemoveTargets': (input) => {
      const name = String(input.Rule);
      const ids = (input.Ids as string[] | undefined) ?? [];
      this.options.state.update((s) => {
        const rule = s.rules[name];
        if (!rule) throw new LocalApiError('ResourceNotFoundException', `Rule ${name} does not exist.`);
        rule.targets = rule.targets.filter((t) => !ids.includes(t.Id));
      });
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    'AWSEvents.DeleteRule': (input) => this.remove('rules', requiredName(input), 'Rule'),
    'AWSEvents.DeleteApiDestination': (input) => this.remove('destinations', requiredName(input), 'API destination'),
    'AWSEvents.DeleteConnection': (input) => this.remove('connections', requiredName(input), 'Connection'),
  };

  private remove(kind: keyof ApiDestinationState, name: string, what: string): Record<string, never> {
    this.options.state.update((s) => {
      if (!s[kind][name]) throw new LocalApiError('ResourceNotFoundException', `${what} ${name} does not exist.`);
      if (kind === 'rules' && (s.rules[name]?.targets.length ?? 0) > 0) throw new LocalApiError('ValidationException', 'Rule can\'t be deleted since it has targets.');
      s[kind] = Object.fromEntries(Object.entries(s[kind]).filter(([key]) => key !== name)) as never;
    });
    return {};
  }

  private async deliver(rule: string, target: Target, destination: ApiDestinationState['destinations'][string], event: BusEvent): Promise<void> {
    const connection = Object.values(this.options.state.get().connections).find((c) => c.arn === destination.connectionArn);
    const input = target.InputPath ? jsonPath(event, target.InputPath) : event;
    const body = JSON.stringify(input);
    // Header values that are JSON paths read the original event (EventBridge's dynamic parameters); the
    // connection's parameters win over the target's, as EventBridge merges them.
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    for (const [name, value] of Object.entries(target.HttpParameters?.HeaderParameters ?? {})) {
      headers[name] = value.startsWith('$.') ? String(jsonPath(event, value) ?? '') : value;
    }
    Object.assign(headers, connection?.headers ?? {});
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const result = await post(destination.endpoint, destination.method, headers, body);
      const delivered = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
      // EventBridge retries 429, 5xx and what never answered; it gives up at once on other client errors.
      const retriable = result.statusCode === undefined || result.statusCode === 429 || result.statusCode >= 500;
      const last = delivered || !retriable || attempt === this.maxAttempts;
      const outcome = delivered ? 'delivered' : last ? 'dead-lettered' : 'retrying';
      await Promise.resolve(this.options.onAttempt?.({ rule, event, attempt, statusCode: result.statusCode, error: result.error, outcome })).catch((error: unknown) =>
        console.error(`event bus: could not record a delivery attempt for rule ${rule}:`, String(redact(String(error)))),
      );
      if (last) return;
      await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
    }
  }
}

export class LocalApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function requiredName(input: Record<string, unknown>): string {
  if (typeof input.Name !== 'string' || !/^[.\-_A-Za-z0-9]{1,64}$/.test(input.Name)) throw new LocalApiError('ValidationException', 'Name is invalid.');
  return input.Name;
}

/** EventBridge's JSON paths: dotted names from the root (`$.detail.headers.eventId`). */
function jsonPath(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

async function post(url: string, method: string, headers: Record<string, string>, body: string): Promise<{ statusCode?: number; error?: string }> {
  try {
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { statusCode: response.status } : { statusCode: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error);
    return { error: String(redact(message)).slice(0, 300) };
  }
}
