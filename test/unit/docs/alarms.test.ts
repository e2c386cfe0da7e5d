import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thresholds } from '#infra/stack/monitoring.ts';
import { codeSpans, readDocument, repoRoot, section, tableRows } from '#test/support/markdown.ts';

/** The runbook's alarm table, by alarm name (`<Function>-errors` stands for one alarm per function). */
function documentedAlarms(): Map<string, string> {
  const runbook = section(readDocument('docs/operating.md'), 'Alarms: what each means and what to do');
  return new Map(tableRows(runbook).map((row) => [codeSpans(row[0] ?? '')[0] ?? row[0]!, row[1] ?? '']));
}

/**
 * The names monitoring.ts gives its alarms (after `tadamon-<stage>-`), with each `${…}` part as `<…>`. A name
 * built from a dead-letter queue's `source` stands for both sources, `stream` and `async`.
 */
function definedAlarms(): string[] {
  const source = readFileSync(path.join(repoRoot, 'infra/stack/monitoring.ts'), 'utf8');
  const names = [...source.matchAll(/this\.alarm\(\s*[^,]+,\s*(['`])(.+?)\1/g)].map((match) => match[2]!);
  return names.flatMap((name) => (name.includes('${source}') ? ['stream', 'async'].map((kind) => name.replace('${source}', kind)) : [name]));
}

const placeholder = (name: string) => name.replace(/\$\{[^}]+\}|<[^>]+>/g, '<name>');
const percent = (fraction: number) => `${Number((fraction * 100).toPrecision(12))} %`;

describe("the runbook's alarm table (docs/operating.md)", () => {
  const documented = documentedAlarms();

  it('lists exactly the alarms infra/stack/monitoring.ts defines', () => {
    const defined = definedAlarms();
    expect(defined).toContain('count-drift');
    expect([...documented.keys()].map(placeholder).sort()).toEqual(defined.map(placeholder).sort());
  });

  it('states the thresholds monitoring.ts sets', () => {
    const firesWhen = (name: string) => documented.get(name) ?? '';
    expect(firesWhen('api-5xx')).toContain(`at least **${thresholds.apiServerErrors}** requests`);
    expect(firesWhen('api-throttled')).toContain(`at least **${thresholds.apiThrottledRequests}** requests`);
    expect(firesWhen('<Consumer>-iterator-age')).toContain(`older than **${thresholds.iteratorAgeSeconds} s**`);
    expect(firesWhen('<Consumer>-iterator-age')).toContain(`older than **${thresholds.pacedIteratorAgeSeconds / 3600} h**`);
    expect(firesWhen('<queue>-queue-age')).toContain(`**${thresholds.queueAgeSeconds['confirmation-mail'] / 60} min**`);
    expect(firesWhen('<queue>-queue-age')).toContain(`**${thresholds.queueAgeSeconds['bulk-mail'] / 86400} days**`);
    expect(firesWhen('ses-bounce-rate')).toContain(`above ${percent(thresholds.sesBounceRate)}`);
    expect(firesWhen('ses-complaint-rate')).toContain(`above ${percent(thresholds.sesComplaintRate)}`);
    // The table words these as "any" or "at least once": a threshold of more than one would need new words.
    for (const threshold of [thresholds.unhandledErrors, thresholds.functionErrors, thresholds.throttles, thresholds.tableThrottleEvents]) expect(threshold).toBe(1);
    expect(firesWhen('unhandled-errors')).toContain('at least once in 5 minutes');
    expect(firesWhen('function-errors')).toMatch(/^any Lambda invocation/);
    expect(firesWhen('<table>-throttles')).toMatch(/^DynamoDB throttled a read or write/);
    expect(firesWhen('lambda-throttles')).toMatch(/^any Lambda/);
  });
});
