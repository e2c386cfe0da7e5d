import * as z from 'zod';
import { blockKinds, canonicalBlockValue, type BlockKind } from '#shared/domain/blocklist.ts';
import { validationProblem } from '#shared/http/problem.ts';

/**
 * A CIDR range's `/` travels percent-encoded (`203.0.113.0%2F24`). The local gateway decodes a path
 * parameter once, as a router does. API Gateway's HTTP API decodes percent-encoding in the path itself,
 * and a `%2F` decoded before routing is a separator that no route matches, so clients encode the `/`
 * twice (`%252F`) and what arrives here is still encoded once. Neither a domain nor an IP can contain
 * `%`, so decoding what is left is safe, and the twice-encoded request works in both runtimes.
 */
function decodeRest(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const blockPath = z
  .object({ kind: z.enum(blockKinds), value: z.string().max(300, 'At most 300 characters.').transform(decodeRest) })
  .transform(({ kind, value }, ctx) => {
    const result = canonicalBlockValue(kind, value);
    if ('error' in result) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: result.error });
      return z.NEVER;
    }
    return { kind, value: result.value, asTyped: value.trim().toLowerCase() };
  });

/** The entry a blocklist path names, canonical (see canonicalBlockValue), and as the operator typed it. */
export function parseBlockPath(path: Record<string, string>): { kind: BlockKind; value: string; asTyped: string } {
  const parsed = blockPath.safeParse(path);
  if (!parsed.success) throw validationProblem(parsed.error, 'path');
  return parsed.data;
}
