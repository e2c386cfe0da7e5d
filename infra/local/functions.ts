import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '#infra/manifest.ts';
import { lambdaContext } from './lambda-context.ts';

export type Invoke = (event: unknown) => Promise<unknown>;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const root = path.resolve(import.meta.dirname, '..', '..');

/** Loads each manifest entry's module, as Lambda would, and gives back a way to invoke it. */
export async function loadFunction(spec: FunctionSpec): Promise<Invoke> {
  const module = (await import(pathToFileURL(path.join(root, spec.entry)).href)) as { handler?: Handler };
  const handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${spec.entry} does not export a handler`);
  return (event) => handler(event, lambdaContext(spec.name, spec.timeoutSeconds ?? 10));
}
