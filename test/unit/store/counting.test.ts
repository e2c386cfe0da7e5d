import { ProvisionedThroughputExceededException, ThrottlingException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { confirmationOf, countConfirmations, type Confirmation } from '#shared/store/counting.ts';

// The retry paths (conflicts, throttling, cancellations, running out of attempts) cannot be provoked on
// DynamoDB Local on demand; here the client answers what each test scripts. The happy path against a real
// table is in test/integration/counting.test.ts.
const dynamo = mockClient(DynamoDBDocumentClient);
const start = Date.parse('2026-03-01T10:00:00.000Z');

type Outcome = Error | 'ok';
interface Sent {
  /** Milliseconds after the call began (fake time). */
  at: number;
  input: TransactWriteCommandInput;
}

/** Answers the transactions in turn with `outcomes` (the last one repeats), recording what was sent and when. */
function answer(...outcomes: Outcome[]): Sent[] {
  const sent: Sent[] = [];
  dynamo.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
    sent.push({ at: Date.now() - start, input });
    const outcome = outcomes[Math.min(sent.length, outcomes.length) - 1]!;
    if (outcome !== 'ok') throw outcome;
    return {};
  });
  return sent;
}

/** Runs the count to its end, letting fake time pass for every back-off it waits. */
async function count(confirmations: Confirmation[]): Promise<Confirmation[]> {
  const result = countConfirmations(confirmations);
  // Handled now, awaited below: a rejection must not count as unhandled while the timers run.
  result.catch(() => undefined);
  await vi.runAllTimersAsync();
  return result;
}

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const conflict = () => new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} });

const signature = (campaign: string, n: number, country = 'MA'): Confirmation => ({
  campaign,
  key: { pk: `SIGNATURE#${campaign}#k${n}`, sk: 'SIGNATURE' },
  counter: 'signatures',
  country,
});
const endorsement = (campaign: string, n: number): Confirmation => ({ campaign, key: { pk: `ENDORSEMENT#e${n}`, sk: 'ENDORSEMENT' }, counter: 'endorsements' });

const items = (sent: Sent) => sent.input.TransactItems!.map((item) => item.Update!);
const markerKeys = (sent: Sent) => items(sent).slice(0, -1).map((update) => update.Key!.pk as string);
const counterUpdate = (sent: Sent) => items(sent).at(-1)!;

// With Math.random() at 0.5 the jitter factor is exactly 1: attempt n waits min(1000, 20·2ⁿ) ms.
const backOffSchedule = [0, 40, 120, 280, 600, 1240, 2240, 3240];

beforeEach(() => {
  Object.assign(process.env, { TABLE_NAME: 'counting-unit' });
  resetConfig();
  dynamo.reset();
  vi.useFakeTimers({ now: start });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('countConfirmations: one transaction per campaign per batch', () => {
  it('sets each marker under its condition and adds the batch to the counter, per country', async () => {
    const listed = { ...signature('free-ahmed', 1), listing: { gsi2pk: 'CONFIRMED#free-ahmed', gsi2sk: 't#1', gsi1pk: 'SIGNATURES#free-ahmed', gsi1sk: 't#1' } };
    const sent = answer('ok');
    expect(await count([listed, signature('free-ahmed', 2), signature('free-ahmed', 3, 'TR'), endorsement('free-ahmed', 4)])).toEqual([]);

    expect(sent).toHaveLength(1);
    const [first, second, third, fourth, counter] = items(sent[0]!);
    expect(first).toEqual({
      TableName: 'counting-unit',
      Key: listed.key,
      // Counted, it leaves the sparse index of uncounted confirmations.
      UpdateExpression: 'SET countedAt = :at, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk REMOVE gsi4pk, gsi4sk',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(countedAt)',
      ExpressionAttributeValues: { ':at': '2026-03-01T10:00:00.000Z', ':gsi2pk': 'CONFIRMED#free-ahmed', ':gsi2sk': 't#1', ':gsi1pk': 'SIGNATURES#free-ahmed', ':gsi1sk': 't#1' },
    });
    for (const [update, n] of [[second, 2], [third, 3], [fourth, 4]] as const) {
      expect(update).toMatchObject({ UpdateExpression: 'SET countedAt = :at REMOVE gsi4pk, gsi4sk', ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(countedAt)', ExpressionAttributeValues: { ':at': '2026-03-01T10:00:00.000Z' } });
      expect(update!.Key!.pk).toMatch(new RegExp(`[ke]${n}$`));
    }
    expect(counter).toEqual({
      TableName: 'counting-unit',
      Key: { pk: 'CAMPAIGN#free-ahmed', sk: 'COUNTER' },
      UpdateExpression: 'ADD signatures :s, endorsements :e SET byCountry.#c0 = if_not_exists(byCountry.#c0, :zero) + :c0, byCountry.#c1 = if_not_exists(byCountry.#c1, :zero) + :c1',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#c0': 'MA', '#c1': 'TR' },
      ExpressionAttributeValues: { ':s': 3, ':e': 1, ':zero': 0, ':c0': 2, ':c1': 1 },
    });
  });

  it('adds an endorsement-only batch to endorsements alone, with no country names or values', async () => {
    const sent = answer('ok');
    expect(await count([endorsement('statement', 1), endorsement('statement', 2)])).toEqual([]);
    expect(counterUpdate(sent[0]!)).toEqual({
      TableName: 'counting-unit',
      Key: { pk: 'CAMPAIGN#statement', sk: 'COUNTER' },
      UpdateExpression: 'ADD signatures :s, endorsements :e',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':s': 0, ':e': 2 },
    });
  });

  it('counts a signature without a country in the total only', async () => {
    const sent = answer('ok');
    const { country: _, ...withoutCountry } = signature('a', 1);
    expect(await count([withoutCountry, signature('a', 2, 'TR')])).toEqual([]);
    expect(counterUpdate(sent[0]!)).toMatchObject({
      UpdateExpression: 'ADD signatures :s, endorsements :e SET byCountry.#c0 = if_not_exists(byCountry.#c0, :zero) + :c0',
      ExpressionAttributeNames: { '#c0': 'TR' },
      ExpressionAttributeValues: { ':s': 2, ':e': 0, ':zero': 0, ':c0': 1 },
    });
  });

  it('writes one transaction per campaign, each to its own counter', async () => {
    const sent = answer('ok');
    expect(await count([signature('a', 1), signature('b', 2), signature('a', 3)])).toEqual([]);
    expect(sent.map((s) => [counterUpdate(s).Key!.pk, markerKeys(s)])).toEqual([
      ['CAMPAIGN#a', ['SIGNATURE#a#k1', 'SIGNATURE#a#k3']],
      ['CAMPAIGN#b', ['SIGNATURE#b#k2']],
    ]);
  });

  it('counts a signature delivered twice in one batch once', async () => {
    const sent = answer('ok');
    expect(await count([signature('a', 1), signature('a', 1), signature('a', 2)])).toEqual([]);
    expect(markerKeys(sent[0]!)).toEqual(['SIGNATURE#a#k1', 'SIGNATURE#a#k2']);
    expect(counterUpdate(sent[0]!).ExpressionAttributeValues).toMatchObject({ ':s': 2, ':c0': 2 });
  });

  it('splits a large campaign batch into transactions of at most 99 markers and the counter', async () => {
    const sent = answer('ok');
    const batch = Array.from({ length: 150 }, (_, n) => signature('viral', n));
    expect(await count(batch)).toEqual([]);
    expect(sent.map((s) => s.input.TransactItems!.length)).toEqual([100, 52]);
    expect(sent.flatMap(markerKeys)).toEqual(batch.map((c) => c.key.pk));
    expect(sent.map((s) => counterUpdate(s).ExpressionAttributeValues![':s'])).toEqual([99, 51]);
  });
});

describe('countConfirmations: conflicts, throttling and cancellations', () => {
  it.each([
    ['a conflict with a concurrent transaction', conflict()],
    ['throttling', new ThrottlingException({ message: 'Rate exceeded', $metadata: {} })],
    ['exceeded provisioned throughput', new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} })],
  ])('retries the whole transaction after %s, once it has backed off', async (_, error) => {
    const sent = answer(error, 'ok');
    const batch = [signature('a', 1), signature('a', 2)];
    expect(await count(batch)).toEqual([]);
    expect(sent.map((s) => s.at)).toEqual(backOffSchedule.slice(0, 2));
    expect(sent.map(markerKeys)).toEqual([['SIGNATURE#a#k1', 'SIGNATURE#a#k2'], ['SIGNATURE#a#k1', 'SIGNATURE#a#k2']]);
  });

  it('backs off exponentially up to a second, and returns the confirmations when every attempt fails', async () => {
    const sent = answer(conflict());
    const batch = [signature('a', 1), signature('a', 2)];
    const result = await count(batch);
    // Reported back for the stream to retry: never "counted" when nothing was.
    expect(result).toEqual(batch);
    expect(sent.map((s) => s.at)).toEqual(backOffSchedule);
  });

  it('jitters each back-off between half and one and a half times its base', async () => {
    vi.mocked(Math.random).mockReturnValue(0);
    const sent = answer(conflict(), conflict(), 'ok');
    expect(await count([signature('a', 1)])).toEqual([]);
    expect(sent.map((s) => s.at)).toEqual([0, 20, 60]);
  });

  it('drops what a cancellation says is counted already and retries the rest at once', async () => {
    // Reasons come one per action in order: three markers, then the counter.
    const sent = answer(cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict', 'None'), 'ok');
    expect(await count([signature('a', 1), signature('a', 2), signature('a', 3, 'TR')])).toEqual([]);
    expect(sent.map((s) => s.at)).toEqual([0, 0]);
    expect(markerKeys(sent[1]!)).toEqual(['SIGNATURE#a#k1', 'SIGNATURE#a#k3']);
    expect(counterUpdate(sent[1]!).ExpressionAttributeValues).toEqual({ ':s': 2, ':e': 0, ':zero': 0, ':c0': 1, ':c1': 1 });
  });

  it('reports a batch counted already in full as done, without another write', async () => {
    const sent = answer(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'None'));
    expect(await count([signature('a', 1), signature('a', 2)])).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('never takes the counter item failing its own condition for counted signatures: backs off, then returns them', async () => {
    // The last reason is the counter's (its campaign has no counter item): the markers were fine.
    const sent = answer(cancelled('None', 'None', 'ConditionalCheckFailed'));
    const batch = [signature('gone', 1), signature('gone', 2)];
    expect(await count(batch)).toEqual(batch);
    expect(sent.map((s) => s.at)).toEqual(backOffSchedule);
    for (const s of sent) expect(markerKeys(s)).toEqual(['SIGNATURE#gone#k1', 'SIGNATURE#gone#k2']);
  });

  it('throws an error that is neither a cancellation nor transient, without retrying', async () => {
    const invalid = Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException' });
    const sent = answer(invalid);
    await expect(count([signature('a', 1)])).rejects.toBe(invalid);
    expect(sent).toHaveLength(1);
  });

  it('returns only the chunk that could not be counted; other chunks and campaigns still count', async () => {
    const sent: string[] = [];
    dynamo.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
      const counter = input.TransactItems!.at(-1)!.Update!.Key!.pk as string;
      sent.push(counter);
      if (counter === 'CAMPAIGN#stuck') throw conflict();
      return {};
    });
    const stuck = [signature('stuck', 1), signature('stuck', 2)];
    expect(await count([signature('fine', 1), ...stuck, signature('fine', 2)])).toEqual(stuck);
    expect(sent.filter((pk) => pk === 'CAMPAIGN#fine')).toHaveLength(1);
    expect(sent.filter((pk) => pk === 'CAMPAIGN#stuck')).toHaveLength(backOffSchedule.length);
  });
});

describe('confirmationOf: what an item counts as', () => {
  const signatureItem = {
    pk: 'SIGNATURE#free-ahmed#k1',
    sk: 'SIGNATURE',
    type: 'signature',
    id: '01jz',
    campaign: 'free-ahmed',
    country: 'EG',
    status: 'confirmed',
    confirmedAt: '2026-03-01T09:00:00.000Z',
  };

  it('a confirmed signature: its country, and the export listing in confirmation order', () => {
    expect(confirmationOf({ ...signatureItem, public: false })).toEqual({
      campaign: 'free-ahmed',
      key: { pk: 'SIGNATURE#free-ahmed#k1', sk: 'SIGNATURE' },
      counter: 'signatures',
      country: 'EG',
      // Its hour in the series.
      confirmedAt: '2026-03-01T09:00:00.000Z',
      // In the shard its id falls in (layout.ts `signatureShard`), the same one however often it is written.
      listing: { gsi2pk: 'CONFIRMED#free-ahmed#06', gsi2sk: '2026-03-01T09:00:00.000Z#01jz' },
    });
  });

  it('a confirmed signature carries its source, known fields only', () => {
    expect(confirmationOf({ ...signatureItem, source: { utm_source: 'news', referrer: 'example.org', other: 'x' } })?.source).toEqual({ utm_source: 'news', referrer: 'example.org' });
    expect(confirmationOf(signatureItem)).not.toHaveProperty('source');
  });

  it('a confirmed signature whose signer chose the public list is listed there too, in the same shard', () => {
    expect(confirmationOf({ ...signatureItem, public: true })?.listing).toEqual({
      gsi2pk: 'CONFIRMED#free-ahmed#06',
      gsi2sk: '2026-03-01T09:00:00.000Z#01jz',
      gsi1pk: 'SIGNATURES#free-ahmed#06',
      gsi1sk: '2026-03-01T09:00:00.000Z#01jz',
    });
  });

  it('an approved endorsement counts as an endorsement', () => {
    const item = { pk: 'ENDORSEMENT#e1', sk: 'ENDORSEMENT', type: 'endorsement', campaign: 'statement', status: 'approved' };
    expect(confirmationOf(item)).toEqual({ campaign: 'statement', key: { pk: 'ENDORSEMENT#e1', sk: 'ENDORSEMENT' }, counter: 'endorsements' });
  });

  it('nothing else counts: pending signatures, unapproved endorsements, other items', () => {
    expect(confirmationOf({ ...signatureItem, status: 'pending' })).toBeUndefined();
    expect(confirmationOf({ ...signatureItem, type: 'subscriber' })).toBeUndefined();
    // "approved" is an endorsement's status: on anything else it never makes an endorsement.
    expect(confirmationOf({ ...signatureItem, status: 'approved' })).toBeUndefined();
    expect(confirmationOf({ pk: 'ENDORSEMENT#e1', sk: 'ENDORSEMENT', type: 'endorsement', campaign: 'statement', status: 'pending' })).toBeUndefined();
    expect(confirmationOf({ pk: 'ENDORSEMENT#e1', sk: 'ENDORSEMENT', type: 'endorsement', campaign: 'statement', status: 'confirmed' })).toBeUndefined();
  });
});

describe('countConfirmations: the hours of the day and the sources, in the counter write', () => {
  const at = (n: number, confirmedAt: string, source?: Confirmation['source']): Confirmation => ({ ...signature('c', n), confirmedAt, ...(source ? { source } : {}) });
  const storedCounter = (item: Record<string, unknown>) => dynamo.on(GetCommand).resolves({ Item: { pk: 'CAMPAIGN#c', sk: 'COUNTER', signatures: 10, ...item } });
  const transactionOf = (sent: Sent) => sent.input.TransactItems!.map((item) => item.Update!);

  it("adds to the counter's hours while the day is the counter's, on condition that it still is", async () => {
    storedCounter({ hoursDay: '2026-03-01', h09: 10 });
    const sent = answer('ok');
    expect(await count([at(1, '2026-03-01T09:30:00Z'), at(2, '2026-03-01T10:05:00Z')])).toEqual([]);
    const counter = transactionOf(sent[0]!).at(-1)!;
    expect(Object.values(counter.ExpressionAttributeNames!)).toEqual(expect.arrayContaining(['h09', 'h10', 'hoursDay']));
    expect(counter.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #n\d+ = :v\d+$/);
    expect(Object.values(counter.ExpressionAttributeValues!)).toContain('2026-03-01');
    expect(transactionOf(sent[0]!)).toHaveLength(3);
  });

  it('moves the hours to their day item when a new day begins, on condition that neither day nor count moved', async () => {
    storedCounter({ hoursDay: '2026-03-01', h09: 4, h23: 6 });
    const sent = answer('ok');
    expect(await count([at(1, '2026-03-02T00:10:00Z')])).toEqual([]);
    const [, counter, day] = transactionOf(sent[0]!);
    expect(counter!.UpdateExpression).toMatch(/SET .*#n\d+ = :v\d+, h00 = :v\d+ REMOVE h09, h23$/);
    expect(counter!.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #n\d+ = :v\d+ AND #n\d+ = :v\d+$/);
    expect(Object.values(counter!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['2026-03-01', '2026-03-02', 10]));
    expect(day).toMatchObject({ Key: { pk: 'CAMPAIGN#c', sk: 'STATS#DAY#2026-03-01' }, ExpressionAttributeValues: { ':h09': 4, ':h23': 6 } });
  });

  it('counts a new source value while there is room, and says how many it counted on', async () => {
    storedCounter({ sourceValues: 3, 'utm_source=news': 5 });
    const sent = answer('ok');
    expect(await count([at(1, '2026-03-01T09:30:00Z', { utm_source: 'news', ref: 'r1' }), at(2, '2026-03-01T09:31:00Z', { utm_source: 'news' })])).toEqual([]);
    const counter = transactionOf(sent[0]!).at(-1)!;
    const names = counter.ExpressionAttributeNames!;
    const valueOf = (attribute: string) => {
      const placeholder = Object.keys(names).find((k) => names[k] === attribute)!;
      const match = new RegExp(`${placeholder} (:v\\d+)`).exec(counter.UpdateExpression!);
      return counter.ExpressionAttributeValues![match![1]!] as number;
    };
    expect(valueOf('utm_source=news')).toBe(2);
    expect(valueOf('ref=r1')).toBe(1);
    expect(valueOf('sourceValues')).toBe(1);
    expect(counter.ConditionExpression).toContain(' = :v');
  });

  it('counts new values as other once the campaign keeps 200, with no condition when nothing is new', async () => {
    storedCounter({ sourceValues: 200, 'ref=known': 1 });
    const sent = answer('ok');
    expect(await count([at(1, '2026-03-01T09:30:00Z', { ref: 'fresh' }), at(2, '2026-03-01T09:31:00Z', { ref: 'known' })])).toEqual([]);
    const counter = transactionOf(sent[0]!).at(-1)!;
    expect(Object.values(counter.ExpressionAttributeNames!)).toEqual(expect.arrayContaining(['ref=other', 'ref=known']));
    expect(Object.values(counter.ExpressionAttributeNames!)).not.toContain('ref=fresh');
    expect(Object.values(counter.ExpressionAttributeNames!)).not.toContain('sourceValues');
  });
});
