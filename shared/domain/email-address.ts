/**
 * Providers known to ignore dots and `+tags` in the local part: for them, the aliases of one mailbox share
 * one canonical form, so nobody signs twice by writing their address differently.
 */
const dotAndTagInsensitive = new Map([
  ['gmail.com', 'gmail.com'],
  ['googlemail.com', 'gmail.com'],
]);

/** The identity of a mailbox, for deduplication only. Mail always goes to the address as typed. */
export function canonicalEmail(address: string): string {
  const lowered = address.trim().toLowerCase();
  const at = lowered.lastIndexOf('@');
  if (at < 1) return lowered;
  let local = lowered.slice(0, at);
  const domain = lowered.slice(at + 1);
  const canonicalDomain = dotAndTagInsensitive.get(domain);
  if (!canonicalDomain) return `${local}@${domain}`;
  local = local.split('+', 1)[0]!.replaceAll('.', '');
  return `${local}@${canonicalDomain}`;
}

/**
 * The mailbox an address delivers to, for capping the mail we send it: `+tags` are folded on every domain (most
 * providers deliver `victim+1@…` to `victim@…`), so varying the tag never buys more mail to one inbox. Wider
 * than `canonicalEmail`, which must not merge two people on providers that treat tags as distinct mailboxes.
 */
export function mailboxIdentity(address: string): string {
  const canonical = canonicalEmail(address);
  const at = canonical.lastIndexOf('@');
  if (at < 1) return canonical;
  const local = canonical.slice(0, at).split('+', 1)[0] || canonical.slice(0, at);
  return `${local}@${canonical.slice(at + 1)}`;
}
