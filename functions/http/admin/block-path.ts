import { z } from 'zod';
import { blockKinds, type BlockKind } from '#shared/domain/blocklist.ts';
import { validationProblem } from '#shared/http/problem.ts';

const blockPath = z.object({
  kind: z.enum(blockKinds),
  value: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:-]+$/, 'An IP address or a domain name.'),
});

export function parseBlockPath(path: Record<string, string>): { kind: BlockKind; value: string } {
  const parsed = blockPath.safeParse(path);
  if (!parsed.success) throw validationProblem(parsed.error, 'path');
  return parsed.data;
}
