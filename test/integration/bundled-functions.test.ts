import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as LambdaModule from '@aws-sdk/client-lambda';
import { manifest } from '#infra/manifest.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { functionBuildOptions } from '#infra/stack/bundling.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import type { HttpHandler } from '#shared/http/handler.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { setOffset } from '#shared/store/counter-store.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

/**
 * The bundles leave parts of the AWS SDK out (infra/stack/bundling.ts' aliases); the tests elsewhere run the
 * code from source, where nothing is left out. These build functions exactly as the stack does and run them.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds with the functions' options and loads the bundle; `inputs` are the files that left bytes in it. */
async function bundle<Module>(name: string, entry: { file: string } | { contents: string }, secrets?: readonly string[]): Promise<{ module: Module; inputs: string[] }> {
  const outfile = path.join(dir, name, 'index.mjs');
  const options = functionBuildOptions('file' in entry ? entry.file : '', outfile, secrets);
  const { metafile } = await build({
    ...options,
    ...('contents' in entry ? { entryPoints: [], stdin: { contents: entry.contents, resolveDir: root, sourcefile: `${name}.ts`, loader: 'ts' } } : {}),
    absWorkingDir: root,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input));
  return { module: (await import(pathToFileURL(outfile).href)) as Module, inputs };
}

const eventStreamFiles = (inputs: string[]) => inputs.filter((input) => input.includes('@smithy/core/dist-es/submodules/event-streams/'));

describe('a function bundled as the stack bundles it', () => {
  beforeAll(async () => {
    await useTestTable('bundled');
  });

  it('answers from the table through the bundled DynamoDB client, without the event-stream codecs', async () => {
    const spec = manifest.find((entry) => entry.name === 'GetCampaignCounts')!;
    const campaign = await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Bundled counts', goal: 500 }), { status: 'open' });
    await setOffset(campaign.slug, { offset: 42, reason: 'Paper forms from the vigil' }, 'admin-token', campaign.goal);

    const { module, inputs } = await bundle<{ handler: HttpHandler }>(spec.name, { file: path.join(root, spec.entry) }, spec.secrets);
    expect(eventStreamFiles(inputs)).toEqual([]);
    expect(inputs).toContain('infra/stack/no-event-streams.ts');

    const event = httpEvent({ route: '/campaigns/{slug}/counts', pathParameters: { slug: campaign.slug } });
    const answer = (await module.handler(event, lambdaContext(spec.name, 10))) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(String(answer.body))).toMatchObject({ total: 42, signatures: 0, offset: 42, goal: 500 });
  });
});

describe("Lambda's client, which names the event-stream module when it is built", () => {
  let server: Server;
  let endpoint: string;
  const requests: { method: string; url: string; body: string }[] = [];

  beforeAll(async () => {
    // A stand-in for Lambda's API: Invoke answers the payload; a streamed invocation answers an event stream.
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ method: request.method ?? '', url: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        if (request.url?.includes('/response-streaming-invocations')) {
          response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' }).end(Buffer.alloc(0));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' }).end('{"replayed":3}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const lambdaClient = () =>
    bundle<typeof LambdaModule>('LambdaClient', { contents: "export { LambdaClient, InvokeCommand, InvokeWithResponseStreamCommand } from '@aws-sdk/client-lambda';" });

  it('is built and invokes a function, with the codecs left out of its bundle', async () => {
    const { module, inputs } = await lambdaClient();
    expect(eventStreamFiles(inputs)).toEqual([]);
    const client = new module.LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
    const result = await client.send(new module.InvokeCommand({ FunctionName: 'ReplayTarget', Payload: Buffer.from('{"again":true}') }));
    expect(result.StatusCode).toBe(200);
    expect(JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8'))).toEqual({ replayed: 3 });
    expect(requests.at(-1)).toMatchObject({ method: 'POST', url: '/2015-03-31/functions/ReplayTarget/invocations', body: '{"again":true}' });
  });

  it('refuses an operation that streams events by naming what the bundle left out', async () => {
    const { module } = await lambdaClient();
    const client = new module.LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
    await expect(client.send(new module.InvokeWithResponseStreamCommand({ FunctionName: 'ReplayTarget' }))).rejects.toThrow(/Event streams are left out of the bundled functions/);
  });
});
