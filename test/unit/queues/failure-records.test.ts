import { describe, expect, it } from 'vitest';
import { functionNameOf, readAsyncFailure } from '#shared/queues/failure-records.ts';

const functionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:tadamon-prod-NotifyOperators-AbC123';
const event = { version: '0', id: 'e-1', 'detail-type': 'MilestoneReached', source: 'tadamon', detail: { campaignId: 'c-1', milestone: 1000 } };

describe('reading event failure records', () => {
  it('reads a rule dead letter: the event is the body, the function is TARGET_ARN', () => {
    expect(
      readAsyncFailure(JSON.stringify(event), {
        RULE_ARN: 'arn:aws:events:eu-west-1:123456789012:rule/tadamon/notify',
        TARGET_ARN: functionArn,
        ERROR_CODE: 'SDK_CLIENT_ERROR',
        ERROR_MESSAGE: 'Unable to invoke Lambda function',
      }),
    ).toEqual({
      readable: true,
      functionName: 'tadamon-prod-NotifyOperators-AbC123',
      payload: event,
      source: 'rule',
      error: 'SDK_CLIENT_ERROR: Unable to invoke Lambda function',
    });
  });

  it('reads a schedule dead letter, whose input may be plain text', () => {
    expect(readAsyncFailure('not json', { SCHEDULE_ARN: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/digest', TARGET_ARN: functionArn })).toEqual({
      readable: true,
      functionName: 'tadamon-prod-NotifyOperators-AbC123',
      payload: 'not json',
      source: 'schedule',
    });
  });

  it("reads Lambda's on-failure record: the function without its version, the original payload", () => {
    const record = {
      version: '1.0',
      timestamp: '2036-01-01T00:00:00.000Z',
      requestContext: { requestId: 'r-1', functionArn: `${functionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    };
    expect(readAsyncFailure(JSON.stringify(record), {})).toEqual({
      readable: true,
      functionName: 'tadamon-prod-NotifyOperators-AbC123',
      payload: event,
      source: 'lambda',
      error: 'RetriesExhausted',
    });
  });

  it('says why it cannot read anything else', () => {
    expect(readAsyncFailure(JSON.stringify(event), {})).toMatchObject({ readable: false, reason: expect.stringContaining('TARGET_ARN') });
    expect(readAsyncFailure('{', {})).toMatchObject({ readable: false });
    expect(readAsyncFailure(JSON.stringify(event), { TARGET_ARN: 'arn:aws:sqs:eu-west-1:123456789012:somewhere' })).toEqual({
      readable: false,
      reason: 'The target arn:aws:sqs:eu-west-1:123456789012:somewhere is not a Lambda function.',
    });
    expect(readAsyncFailure(JSON.stringify({ requestContext: { functionArn: 'arn:aws:states:x' }, requestPayload: {} }), {})).toMatchObject({ readable: false });
  });

  it('takes the name out of Lambda ARNs, qualified or not, and plain names', () => {
    expect(functionNameOf(functionArn)).toBe('tadamon-prod-NotifyOperators-AbC123');
    expect(functionNameOf(`${functionArn}:live`)).toBe('tadamon-prod-NotifyOperators-AbC123');
    expect(functionNameOf('PlanOutreach')).toBe('PlanOutreach');
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:layer:x:1')).toBeUndefined();
    expect(functionNameOf('two words')).toBeUndefined();
  });
});
