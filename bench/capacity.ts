/**
 * `npm run capacity`: the capacity report (infra/analysis/capacity.ts) for the prod template as it is now,
 * written to reports/capacity.md and printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { capacity, markdown, synthesize } from '#infra/analysis/capacity.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const { resources, settings } = synthesize();
const text = markdown(capacity(resources, settings));
mkdirSync(path.join(repoRoot, 'reports'), { recursive: true });
writeFileSync(path.join(repoRoot, 'reports/capacity.md'), text);
console.log(text);
