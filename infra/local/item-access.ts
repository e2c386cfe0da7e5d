import { AsyncLocalStorage } from 'node:async_hooks';
import type { FunctionSpec } from '#infra/manifest.ts';
import { config } from '#shared/config.ts';
import { tableDefinition } from '#shared/store/table-definition.ts';

/**
 * On AWS each function's role allows only what its manifest entry says (infra/stack/tadamon-function.ts): its
 * `table` access and, where `items` lists them, the items of those partition keys and the named indexes. On
 * one machine nothing would stop a handler from reaching further, and the first sign of a manifest out of step
 * with the code would be an AccessDenied in production. So the local runtime refuses the same requests, on
 * the shared DynamoDB client, for the function whose invocation made them.
 */

const invoking = new AsyncLocalStorage<FunctionSpec>();

/** Runs one invocation of `spec`'s handler: its table requests are checked against its manifest entry. */
export function asFunction<T>(spec: FunctionSpec, invoke: () => Promise<T>): Promise<T> {
  return invoking.run(spec, invoke);
}

interface Request {
  /** The DynamoDB action IAM checks: `dynamodb:PutItem`, … */
  action: string;
  /** Partition keys it reaches on the table itself; none for index queries, scans and table operations. */
  partitionKeys: string[];
  index?: string;
}

const writes = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']);

/** Why IAM would refuse this request for this function, or undefined when it would allow it. */
export function refusal(spec: FunctionSpec, request: Request): string | undefined {
  const { action } = request;
  if (spec.table === undefined || spec.table === 'describe') {
    return action === 'dynamodb:DescribeTable' && spec.table === 'describe' ? undefined : 'it has no access to the table\'s items ("table")';
  }
  if (writes.has(action) && spec.table !== 'write') return 'it may only read ("table": "read")';
  if (!spec.items) return undefined;
  if (action === 'dynamodb:Scan') {
    if (spec.scan && request.index === undefined && spec.table === 'read') return undefined;
    return 'a scan reaches every item, and its grant is narrowed to "items" (a read-only scan of the table needs "scan")';
  }
  if (request.index !== undefined) {
    return spec.indexes?.includes(request.index as never) ? undefined : `index ${request.index} is not in its "indexes"`;
  }
  const patterns = spec.items.map(wildcard);
  const outside = request.partitionKeys.find((key) => !patterns.some((pattern) => pattern.test(key)));
  return outside === undefined ? undefined : `partition key ${outside} is outside its "items" (${spec.items.join(', ')})`;
}

/** An IAM StringLike pattern: `*` any run of characters, `?` any one. */
function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

type Value = unknown;
type Input = Record<string, Value>;

/** The value of an attribute, whether the document client has marshalled it yet (`{ S: 'x' }`) or not. */
function text(value: Value): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value) return String((value as { S: unknown }).S);
  return String(value);
}

const partitionKeyOf = (item: Value) => text((item as Input | undefined)?.[tableDefinition.partitionKey]);

/** The partition key value a table query names (`pk = :pk`, or through an attribute name placeholder). */
function queriedPartitionKey(input: Input): string[] {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, Value>;
  for (const [, name, placeholder] of String(input.KeyConditionExpression ?? '').matchAll(/(#?\w+)\s*=\s*(:\w+)/g)) {
    if ((names[name!] ?? name) === tableDefinition.partitionKey) return [text(values[placeholder!])];
  }
  return [];
}

/** What IAM would be asked for: the action per item (transactions and batches are checked item by item). */
export function requestsOf(commandName: string, input: Input): Request[] {
  const operation = commandName.replace(/Command$/, '');
  if (Array.isArray(input.TransactItems)) {
    return (input.TransactItems as Record<string, Input>[]).flatMap((entry) =>
      Object.entries(entry).map(([kind, part]) => ({
        action: { Put: 'dynamodb:PutItem', Update: 'dynamodb:UpdateItem', Delete: 'dynamodb:DeleteItem', ConditionCheck: 'dynamodb:ConditionCheckItem', Get: 'dynamodb:GetItem' }[kind] ?? `dynamodb:${kind}`,
        partitionKeys: [partitionKeyOf(part.Item ?? part.Key)],
      })),
    );
  }
  if (input.RequestItems && typeof input.RequestItems === 'object') {
    const tables = Object.values(input.RequestItems as Record<string, Value>);
    if (operation.startsWith('BatchGet')) {
      return [{ action: 'dynamodb:BatchGetItem', partitionKeys: tables.flatMap((table) => ((table as { Keys?: Value[] }).Keys ?? []).map(partitionKeyOf)) }];
    }
    const requests = tables.flatMap((table) => table as { PutRequest?: { Item: Value }; DeleteRequest?: { Key: Value } }[]);
    return [{ action: 'dynamodb:BatchWriteItem', partitionKeys: requests.map((r) => partitionKeyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key)) }];
  }
  const action = `dynamodb:${{ Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' }[operation] ?? operation}`;
  if (action === 'dynamodb:Query') {
    return [input.IndexName === undefined ? { action, partitionKeys: queriedPartitionKey(input) } : { action, partitionKeys: [], index: String(input.IndexName) }];
  }
  if (action === 'dynamodb:Scan') return [{ action, partitionKeys: [], ...(input.IndexName === undefined ? {} : { index: String(input.IndexName) }) }];
  const item = input.Key ?? input.Item;
  return [{ action, partitionKeys: item === undefined ? [] : [partitionKeyOf(item)] }];
}

/** The tables a request names: the limits table only, together with another, or not at all. */
function limitsTableUse(input: Input): 'only' | 'mixed' | 'none' {
  const named = new Set<string>();
  if (typeof input.TableName === 'string') named.add(input.TableName);
  for (const table of Object.keys((input.RequestItems as Input | undefined) ?? {})) named.add(table);
  for (const action of (input.TransactItems as Input[] | undefined) ?? []) {
    for (const operation of Object.values(action)) {
      const table = (operation as Input | undefined)?.TableName;
      if (typeof table === 'string') named.add(table);
    }
  }
  const limitsTable = config().LIMITS_TABLE_NAME;
  if (!named.has(limitsTable)) return 'none';
  return named.size === 1 ? 'only' : 'mixed';
}

interface GuardableClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { input: object }) => Promise<unknown>, context: { commandName?: string }) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

const guarded = new WeakSet<object>();

/** Makes `client` refuse, as AWS would, what the invoking function's manifest entry does not allow. */
export function guardItemAccess(client: GuardableClient): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const spec = invoking.getStore();
      const limits = spec ? limitsTableUse(args.input as Input) : 'none';
      if (spec && limits !== 'none') {
        if (!spec.limits || limits === 'mixed') {
          const error = new Error(`${spec.name} is not authorized to use the limits table${limits === 'mixed' ? ' and the main table in one request' : ': it has no "limits"'} (infra/manifest.ts)`);
          error.name = 'AccessDeniedException';
          throw error;
        }
      } else if (spec) {
        for (const request of requestsOf(context.commandName ?? '', args.input as Input)) {
          const reason = refusal(spec, request);
          if (reason) {
            const error = new Error(`${spec.name} is not authorized to perform ${request.action}: ${reason} (infra/manifest.ts)`);
            error.name = 'AccessDeniedException';
            throw error;
          }
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'tadamonItemAccess', priority: 'high' },
  );
}
