import * as z from 'zod';
import { partnerId } from '#shared/domain/partners.ts';
import { validationProblem } from '#shared/http/problem.ts';

const connectorPath = z.object({ slug: z.string().min(1), partner: partnerId });

/** The campaign and partner a connector route names: a malformed partner id is a 400 before any read. */
export function parseConnectorPath(path: Record<string, string>): { slug: string; partner: string } {
  const parsed = connectorPath.safeParse(path);
  if (!parsed.success) throw validationProblem(parsed.error, 'path');
  return parsed.data;
}
