import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secureDataDir } from '#infra/local/data-dir.ts';
import { freePort } from '#infra/local/ports.ts';
import { startLocalStack } from '#infra/local/runtime.ts';
import { JsonLines, StateFile } from '#infra/local/state-file.ts';

const made: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-data-dir-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const mode = (target: string) => statSync(target).mode & 0o777;

/** A DATA_DIR as an earlier version (or a umask of 022) left it: everything readable to every user. */
function looseDataDir(): string {
  const dir = path.join(scratch(), 'data');
  mkdirSync(path.join(dir, 'dynamodb'), { recursive: true });
  writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ tokenSecret: 'an-old-token-secret-of-32-chars!', adminToken: 'old-admin-token' }));
  writeFileSync(path.join(dir, 'dead-letters.jsonl'), '');
  writeFileSync(path.join(dir, 'failed-event-deliveries.jsonl'), '');
  writeFileSync(path.join(dir, 'stream-checkpoints.json'), '{}');
  writeFileSync(path.join(dir, 'notes.txt'), 'not the stack\'s');
  for (const target of [dir, path.join(dir, 'dynamodb')]) chmodSync(target, 0o755);
  for (const name of ['secrets.json', 'stream-checkpoints.json', 'dead-letters.jsonl', 'failed-event-deliveries.jsonl', 'notes.txt']) chmodSync(path.join(dir, name), 0o644);
  return dir;
}

describe('DATA_DIR and what the local stack keeps in it are its user\'s alone', () => {
  it('tightens an existing directory and the entries named, and nothing else', () => {
    const dir = looseDataDir();
    writeFileSync(path.join(dir, 'dynamodb', 'shared-local-instance.db'), 'db');
    chmodSync(path.join(dir, 'dynamodb', 'shared-local-instance.db'), 0o664);
    const elsewhere = path.join(scratch(), 'elsewhere.txt');
    writeFileSync(elsewhere, 'x');
    chmodSync(elsewhere, 0o644);
    symlinkSync(elsewhere, path.join(dir, 'linked.json'));

    secureDataDir(dir, ['secrets.json', 'dynamodb', 'linked.json', 'missing.json']);

    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'secrets.json'))).toBe(0o600);
    expect(mode(path.join(dir, 'dynamodb'))).toBe(0o700);
    expect(mode(path.join(dir, 'dynamodb', 'shared-local-instance.db'))).toBe(0o600);
    // Not named, or not ours: a link's target is left as it was.
    expect(mode(path.join(dir, 'notes.txt'))).toBe(0o644);
    expect(mode(elsewhere)).toBe(0o644);
  });

  it('creates state and JSON-lines files readable by their owner only', () => {
    const dir = path.join(scratch(), 'fresh');
    new StateFile(path.join(dir, 'state.json'), {}).update((value: Record<string, string>) => (value.key = 'secret'));
    new JsonLines(path.join(dir, 'lines.jsonl')).append({ id: 1 });
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'state.json'))).toBe(0o600);
    expect(mode(path.join(dir, 'lines.jsonl'))).toBe(0o600);
  });

  it('leaves secrets, the database and the dead letters 0600 in a 0700 DATA_DIR after starting the stack, even from a loose one', async () => {
    const dir = looseDataDir();
    const stack = await startLocalStack({ port: await freePort(), sesPort: await freePort(), dataDir: dir, demoData: false });
    try {
      expect(mode(dir)).toBe(0o700);
      for (const name of ['secrets.json', 'stream-checkpoints.json', 'dead-letters.jsonl', 'failed-event-deliveries.jsonl']) {
        expect(mode(path.join(dir, name)), name).toBe(0o600);
      }
      expect(mode(path.join(dir, 'dynamodb'))).toBe(0o700);
      expect(mode(path.join(dir, 'dynamodb', 'shared-local-instance.db'))).toBe(0o600);
      // The keys it had are kept (links must survive a restart), and the cursor key is new beside them.
      const secrets = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
      expect(secrets).toMatchObject({ tokenSecret: 'an-old-token-secret-of-32-chars!', adminToken: 'old-admin-token' });
      expect(secrets.cursorSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(process.env.CURSOR_SECRET).toBe(secrets.cursorSecret);
    } finally {
      await stack.stop();
    }
  }, 120_000);
});
