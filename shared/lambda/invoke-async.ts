import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Lambda's Invoke with `InvocationType: Event` (asynchronous: Lambda queues the event, answers 202 and runs the
 * function with its own retries and on-failure destination), so a replayed event fails the same way it first did.
 * The endpoint is `AWS_ENDPOINT_URL_LAMBDA` when set (tests), otherwise the region's.
 */
export type InvokeAsync = (functionName: string, payload: unknown) => Promise<void>;

let client: LambdaClient | undefined;

/** One client per container. */
function lambda(): LambdaClient {
  client ??= new LambdaClient({});
  return client;
}

export const invokeAsync: InvokeAsync = async (functionName, payload) => {
  const answer = await lambda().send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
  // 202 is Lambda's "queued"; anything else means the event was not taken.
  if (answer.StatusCode !== 202) throw new Error(`Lambda answered ${answer.StatusCode ?? 'nothing'} instead of 202 for ${functionName}.`);
};

/** What a synchronous invocation answered: the function's result, or why it failed. */
export type InvokeAndWait = (functionName: string, payload: unknown) => Promise<unknown>;

/**
 * Lambda's Invoke with `InvocationType: RequestResponse`: waits for the function and answers its result, so the
 * caller knows whether a replayed stream batch went through (a stream consumer has no on-failure destination of
 * its own outside its mapping). A function error is thrown, with the function's own error type.
 */
export const invokeAndWait: InvokeAndWait = async (functionName, payload) => {
  const answer = await lambda().send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
  const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
  const result = text ? (JSON.parse(text) as unknown) : null;
  if (answer.FunctionError) {
    const type = (result as { errorType?: string } | null)?.errorType ?? answer.FunctionError;
    throw Object.assign(new Error(`${functionName} failed: ${(result as { errorMessage?: string } | null)?.errorMessage ?? 'no message'}`), { name: type });
  }
  return result;
};
