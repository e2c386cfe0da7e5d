import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assumptions, capacity, type CapacityReport, markdown, quotas, synthesize } from '#infra/analysis/capacity.ts';

type Resources = ReturnType<typeof synthesize>['resources'];

describe('the capacity report (npm run capacity)', () => {
  let prod: ReturnType<typeof synthesize>;
  let report: CapacityReport;
  const step = (r: CapacityReport, name: RegExp) => {
    const found = r.steps.find((s) => name.test(s.name));
    if (!found) throw new Error(`No step ${String(name)}`);
    return found;
  };
  /** A copy of the template with one resource's properties changed. */
  const edited = (type: string, change: (properties: Record<string, unknown>) => void): Resources => {
    const copy = structuredClone(prod.resources);
    const [, resource] = Object.entries(copy).find(([, r]) => r.Type === type) ?? [];
    if (!resource) throw new Error(`No ${type} in the template`);
    change(resource.Properties);
    return copy;
  };

  beforeAll(() => {
    prod = synthesize();
    report = capacity(prod.resources, prod.settings);
  });

  it('is the report kept in reports/capacity.md, which the runbook links (run `npm run capacity` after changing the stack)', () => {
    expect(readFileSync(new URL('../../reports/capacity.md', import.meta.url), 'utf8')).toBe(markdown(report));
  });

  it('names the lowest step of each path, with every step sourced', () => {
    for (const path of ['signature', 'read'] as const) {
      const steps = report.steps.filter((s) => s.path === path);
      expect(steps.length).toBeGreaterThan(3);
      expect(report.limiting[path].ceiling).toBe(Math.min(...steps.map((s) => s.ceiling)));
      for (const s of steps) expect(s.source, s.name).toMatch(/^(https:\/\/docs\.aws\.amazon\.com\/|template: )/);
    }
    expect(report.recording.name).not.toMatch(/^SES/);
    const text = markdown(report);
    expect(text).toContain(`Lowest: **${report.limiting.signature.name}**`);
    expect(text).toContain(`Lowest: **${report.limiting.read.name}**`);
  });

  it("reads the API's throttles from the stage: the lowest signing route's rate is the API step", () => {
    const slower = edited('AWS::ApiGatewayV2::Stage', (stage) => {
      stage.DefaultRouteSettings = { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 14 };
      stage.RouteSettings = {};
    });
    const r = capacity(slower, prod.settings);
    expect(step(r, /^API throttle \(stage/).ceiling).toBe(7);
    expect(step(r, /^API throttle \(counts/).ceiling).toBeLessThan(step(report, /^API throttle \(counts/).ceiling);
    const ownRoutes = edited('AWS::ApiGatewayV2::Stage', (stage) => {
      stage.RouteSettings = Object.fromEntries(['POST /campaigns/{slug}/signatures', 'GET /confirm/{token}', 'POST /confirm/{token}'].map((key) => [key, { ThrottlingRateLimit: 1234 }]));
    });
    expect(step(capacity(ownRoutes, prod.settings), /^API throttle \(stage/).ceiling).toBe(1234);
  });

  it("reads reserved concurrency, the table's warm throughput and its stream readers from the template", () => {
    const reserving = edited('AWS::Lambda::Function', (fn) => {
      fn.ReservedConcurrentExecutions = 400;
    });
    const before = step(report, /^Lambda/).ceiling;
    const after = step(capacity(reserving, prod.settings), /^Lambda/).ceiling;
    expect(before - after).toBeGreaterThan(0);
    expect(after).toBe(Math.floor((quotas.lambdaConcurrency.value - 400 - reservedElsewhere(prod.resources)) / (assumptions.requestsPerSignature * assumptions.httpSeconds) + 1e-6));

    const withWarmThroughput = (warmThroughput: { WriteUnitsPerSecond: number; ReadUnitsPerSecond: number } | undefined) => {
      const resources = structuredClone(prod.resources);
      const streamed = Object.values(resources).find((r) => r.Type === 'AWS::DynamoDB::Table' && r.Properties.StreamSpecification)!;
      if (warmThroughput) streamed.Properties.WarmThroughput = warmThroughput;
      else delete streamed.Properties.WarmThroughput;
      return capacity(resources, prod.settings);
    };
    const cold = withWarmThroughput(undefined);
    const warm = withWarmThroughput({ WriteUnitsPerSecond: 24_000, ReadUnitsPerSecond: 36_000 });
    expect(step(warm, /^DynamoDB signatures table/).ceiling).toBe(Math.floor(24_000 / assumptions.tableWritesPerSignature));
    // The prod stage pre-warms its table (infra/stages.ts): the report reads what the template holds.
    expect(step(report, /^DynamoDB signatures table/).ceiling).toBe(Math.floor(10_000 / assumptions.tableWritesPerSignature));
    // More partitions, more stream shards: the stream step grows with the table.
    expect(step(warm, /^Table stream/).ceiling).toBeGreaterThanOrEqual(step(cold, /^Table stream/).ceiling * 6);
    expect(step(report, /^Table stream/).basis).toMatch(/^\d+ reader\(s\)/);
  });

  it('reads the SES pace from the stage settings, and the read path from the edge in front of the API', () => {
    const r = capacity(prod.resources, { ...prod.settings, sesRatePerSecond: 5_000 });
    expect(step(r, /^SES/).ceiling).toBe(5_000);
    expect(r.limiting.signature.name).not.toMatch(/^SES/);
    const withoutEdge = Object.fromEntries(Object.entries(prod.resources).filter(([, res]) => res.Type !== 'AWS::CloudFront::Distribution'));
    const uncached = capacity(withoutEdge, prod.settings);
    expect(uncached.limiting.read.ceiling).toBeLessThan(report.limiting.read.ceiling);
    expect(step(uncached, /^API throttle \(counts/).basis).toContain('every poll reaches the API');
  });
});

function reservedElsewhere(resources: Resources): number {
  const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  // The first function's own reservation was replaced by the edit; the others still count.
  return functions.slice(1).reduce((sum, fn) => sum + Number(fn.Properties.ReservedConcurrentExecutions ?? 0), 0);
}
