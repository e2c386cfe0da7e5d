import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hourAttribute } from '#shared/domain/stats.ts';
import { maxSourceValues, sourceAttribute, sourceDimensions } from '#shared/domain/signature-source.ts';
import { keys, statsDayPrefix } from '#shared/store/layout.ts';
import type { BenchDynamo } from '../dynamo.ts';
import type { BenchSettings } from '../settings.ts';
import { batchWriteAll } from '../seed.ts';
import type { Api } from '../stack.ts';
import { round, summarize, type Summary } from '../stats.ts';

export interface StatsReadReport {
  signatures: number;
  days: number;
  sourceValues: number;
  requestsPerRoute: number;
  publicDay: Summary;
  publicHour: Summary;
  operatorDay: Summary;
  /** What the day series added up to: the campaign's signatures, or the figure is wrong. */
  seriesTotal: number;
  answerBytes: { publicDay: number; publicHour: number; operatorDay: number };
  /** Read units DynamoDB reports for the day query of the whole campaign (eventually consistent). */
  dayQueryReadUnits: number | null;
  seedMs: number;
  note: string;
}

/**
 * The stats of a campaign with `settings.signatures` confirmed signatures: the items counting leaves for them
 * (the counter with its countries, a day item per day with the hours filled, a full source tally) are written
 * directly, then the public and operator stats are read over HTTP one after another and timed. A stats read
 * touches only these items, never the signatures, so seeding the signature items themselves would change
 * nothing in what is measured.
 */
export async function statsRead(api: Api, dynamo: BenchDynamo, settings: BenchSettings['statsRead']): Promise<StatsReadReport> {
  const slug = 'bench-stats';
  await api.openCampaign(slug, 'Benchmark: stats');
  const seedStarted = performance.now();
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  const perDay = Math.floor(settings.signatures / settings.days);
  // Every day gets perDay signatures over its 24 hours; the last day takes the remainder.
  const dayItem = (d: number) => {
    const day = new Date(today - (settings.days - 1 - d) * 86_400_000).toISOString().slice(0, 10);
    const total = d === settings.days - 1 ? settings.signatures - perDay * (settings.days - 1) : perDay;
    const hours = Object.fromEntries(Array.from({ length: 24 }, (_, h) => [hourAttribute(h), Math.floor(total / 24) + (h < total % 24 ? 1 : 0)]));
    return { ...keys.statsDay(slug, day), type: 'stats-day', campaign: slug, day, ...hours };
  };
  // Earlier days in day items; the newest day's hours on the counter, as counting leaves them.
  await batchWriteAll(dynamo, settings.days - 1, dayItem, 4);
  const { pk: _pk, sk: _sk, type: _type, campaign: _campaign, day: newestDay, ...newestHours } = dayItem(settings.days - 1);
  const sources = Object.fromEntries(
    Array.from({ length: maxSourceValues }, (_, i) => [sourceAttribute(sourceDimensions[i % sourceDimensions.length]!, `value-${i}`), Math.floor(settings.signatures / maxSourceValues)]),
  );
  const countries = ['MA', 'TN', 'DZ', 'EG', 'FR', 'ES', 'DE', 'GB', 'US', 'TR', 'LB', 'JO', 'PS', 'IQ', 'BE', 'NL', 'IT', 'CA', 'SE', 'CH'];
  const byCountry = Object.fromEntries(countries.map((c, i) => [c, i === 0 ? settings.signatures - Math.floor(settings.signatures / countries.length) * (countries.length - 1) : Math.floor(settings.signatures / countries.length)]));
  const attributes: Record<string, number> = { ...newestHours, ...sources };
  const names = Object.keys(attributes);
  await dynamo.doc.send(
    new UpdateCommand({
      TableName: dynamo.tableName,
      Key: keys.counter(slug),
      UpdateExpression: `SET signatures = :n, byCountry = :c, hoursDay = :day, sourceValues = :values, ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
      ExpressionAttributeValues: { ':n': settings.signatures, ':c': byCountry, ':day': newestDay, ':values': maxSourceValues, ...Object.fromEntries(names.map((name, i) => [`:a${i}`, attributes[name]])) },
    }),
  );
  const seedMs = Math.round(performance.now() - seedStarted);

  const timed = async (path: string, operator: boolean) => {
    const times: number[] = [];
    let bytes = 0;
    let body = '';
    for (let i = 0; i < settings.requests; i++) {
      const started = performance.now();
      const response = operator ? await api.operator('GET', path) : await fetch(`${api.url}${path}`);
      body = await response.text();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 200)}`);
      bytes = Buffer.byteLength(body);
    }
    return { summary: summarize(times), bytes, body };
  };
  const publicDay = await timed(`/campaigns/${slug}/stats?interval=day`, false);
  const publicHour = await timed(`/campaigns/${slug}/stats?interval=hour`, false);
  const operatorDay = await timed(`/admin/campaigns/${slug}/stats?interval=day`, true);
  const series = (JSON.parse(publicDay.body) as { series: { signatures: number }[] }).series;
  const seriesTotal = series.reduce((sum, p) => sum + p.signatures, 0);

  let dayQueryReadUnits: number | null;
  try {
    const query = await dynamo.doc.send(
      new QueryCommand({
        TableName: dynamo.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.counter(slug).pk, ':prefix': statsDayPrefix },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    dayQueryReadUnits = query.ConsumedCapacity?.CapacityUnits ?? null;
  } catch {
    dayQueryReadUnits = null;
  }
  console.log(
    `    ${settings.signatures} signatures over ${settings.days} days: day series p50 ${publicDay.summary.p50Ms} ms (p99 ${publicDay.summary.p99Ms}), ` +
      `hour series p50 ${publicHour.summary.p50Ms} ms, operator p50 ${operatorDay.summary.p50Ms} ms; series total ${seriesTotal}; day query ${dayQueryReadUnits ?? '?'} read units`,
  );
  return {
    signatures: settings.signatures,
    days: settings.days,
    sourceValues: maxSourceValues,
    requestsPerRoute: settings.requests,
    publicDay: publicDay.summary,
    publicHour: publicHour.summary,
    operatorDay: operatorDay.summary,
    seriesTotal,
    answerBytes: { publicDay: publicDay.bytes, publicHour: publicHour.bytes, operatorDay: operatorDay.bytes },
    dayQueryReadUnits: dayQueryReadUnits === null ? null : round(dayQueryReadUnits, 1),
    seedMs,
    note:
      `The items counting leaves for ${settings.signatures} signatures confirmed over ${settings.days} days (the counter with the newest day's hours and ${maxSourceValues} source values, its cap; ` +
      `${settings.days - 1} day items with 24 hours each) are written directly; a stats read touches only these, never the signature items. ` +
      `Each route is read ${settings.requests} times one after another over HTTP through the local runtime (no CDN: on AWS the public stats are cached for 5 s). ` +
      'The hour series reads at most 8 day items; the day series one item per day of the campaign (~300 bytes each, one query page up to ~3,000 days).',
  };
}
