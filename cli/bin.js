#!/usr/bin/env node
// The `tadamon` command: registers tsx's loader in this process, then runs the TypeScript entry.
// Equivalent to `node --import tsx cli/main.ts`, without a second process.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
