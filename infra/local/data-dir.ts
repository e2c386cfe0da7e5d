import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Only the user who runs the local stack may list, read or write what it keeps. */
export const privateDirectoryMode = 0o700;
export const privateFileMode = 0o600;

/**
 * DATA_DIR holds signers' names and addresses (the database), the admin token and the HMAC keys: it is made
 * 0700, and what the local stack keeps in it (`entries`, directories walked whole) 0700 / 0600, also when an
 * earlier version or a user left them readable to others. Nothing else in the directory is touched: DATA_DIR
 * may be a directory that holds other things too.
 */
export function secureDataDir(dir: string, entries: readonly string[]): void {
  mkdirSync(dir, { recursive: true, mode: privateDirectoryMode });
  try {
    chmodSync(dir, privateDirectoryMode);
  } catch (error) {
    throw new Error(`DATA_DIR (${dir}) must be a directory of this user's, which it can make private: ${(error as Error).message}`, { cause: error });
  }
  for (const entry of entries) {
    const target = path.join(dir, entry);
    if (existsSync(target)) tighten(target);
  }
}

function tighten(target: string): void {
  const stat = lstatSync(target);
  // A link is followed by nobody here: its target is not ours to change.
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(target, privateDirectoryMode);
    for (const entry of readdirSync(target)) tighten(path.join(target, entry));
    return;
  }
  if (stat.isFile()) chmodSync(target, privateFileMode);
}
