/**
 * What the `events` and `address-events` dead-letter queues hold, read back into "which function failed, on what":
 *
 * - a rule's or a schedule's dead letter (EventBridge, EventBridge Scheduler): the body is the event or the
 *   schedule's input itself; the message attribute `TARGET_ARN` names the function it was for (`RULE_ARN` or
 *   `SCHEDULE_ARN`, `ERROR_CODE`, `ERROR_MESSAGE` say where and why);
 * - Lambda's on-failure destination record, once Lambda had accepted the event and the function failed every
 *   retry: `requestContext.functionArn` (with its version, `…:$LATEST`) and `requestPayload`, the original event.
 */
export type AsyncFailure =
  | { readable: true; functionName: string; payload: unknown; source: 'rule' | 'schedule' | 'lambda'; error?: string }
  | { readable: false; reason: string };

/** The function's name out of a Lambda ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`), or a plain name. */
export function functionNameOf(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length === 1) return /^[\w-]{1,140}$/.test(arn) ? arn : undefined;
  if (parts[0] !== 'arn' || parts[2] !== 'lambda' || parts[5] !== 'function' || !parts[6]) return undefined;
  return parts[6];
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readAsyncFailure(body: string, attributes: Readonly<Record<string, string | undefined>>): AsyncFailure {
  const parsed = parse(body);
  const target = attributes.TARGET_ARN;
  if (target !== undefined) {
    const functionName = functionNameOf(target);
    if (!functionName) return { readable: false, reason: `The target ${target} is not a Lambda function.` };
    // A schedule's input may be any text; a rule's event is always JSON.
    const payload = parsed === undefined ? body : parsed;
    const error = [attributes.ERROR_CODE, attributes.ERROR_MESSAGE].filter(Boolean).join(': ');
    return { readable: true, functionName, payload, source: attributes.SCHEDULE_ARN ? 'schedule' : 'rule', ...(error ? { error } : {}) };
  }
  if (isObject(parsed) && isObject(parsed.requestContext) && typeof parsed.requestContext.functionArn === 'string' && 'requestPayload' in parsed) {
    const functionName = functionNameOf(parsed.requestContext.functionArn);
    if (!functionName) return { readable: false, reason: `The function ${parsed.requestContext.functionArn} is not a Lambda function ARN.` };
    const condition = typeof parsed.requestContext.condition === 'string' ? parsed.requestContext.condition : undefined;
    return { readable: true, functionName, payload: parsed.requestPayload, source: 'lambda', ...(condition ? { error: condition } : {}) };
  }
  return { readable: false, reason: 'Neither a rule or schedule dead letter (no TARGET_ARN) nor a Lambda failure record.' };
}

/** The batch a stream consumer gave up on, as Lambda's on-failure record names it (`DDBStreamBatchInfo`). */
export interface StreamBatch {
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

export type StreamFailure = { readable: true; functionName: string; batch: StreamBatch } | { readable: false; reason: string };

/**
 * What the `stream` dead-letter queue holds: Lambda's failure record for a DynamoDB stream batch. It names the
 * function and the batch's shard and sequence-number range, never the records themselves (those stay in the
 * stream for 24 hours).
 */
export function readStreamFailure(body: string): StreamFailure {
  const parsed = parse(body);
  if (!isObject(parsed) || !isObject(parsed.requestContext) || typeof parsed.requestContext.functionArn !== 'string' || !isObject(parsed.DDBStreamBatchInfo)) {
    return { readable: false, reason: 'Not a Lambda failure record of a stream batch (no requestContext.functionArn or DDBStreamBatchInfo).' };
  }
  const functionName = functionNameOf(parsed.requestContext.functionArn);
  if (!functionName) return { readable: false, reason: `The function ${parsed.requestContext.functionArn} is not a Lambda function ARN.` };
  const { streamArn, shardId, startSequenceNumber, endSequenceNumber } = parsed.DDBStreamBatchInfo;
  const sequence = (value: unknown): value is string => typeof value === 'string' && /^\d{1,40}$/.test(value);
  if (typeof streamArn !== 'string' || typeof shardId !== 'string' || !sequence(startSequenceNumber) || !sequence(endSequenceNumber)) {
    return { readable: false, reason: 'The failure record names no complete batch (stream, shard, first and last sequence number).' };
  }
  return { readable: true, functionName, batch: { streamArn, shardId, startSequenceNumber, endSequenceNumber } };
}
