import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '#shared/config.ts';
import { newId, sha256 } from '#shared/ids.ts';
import { emailKey, personIndex, recordSignature } from '#shared/store/signature-store.ts';
import { keys } from '#shared/store/table.ts';
import { deriveToken } from '#shared/store/token-store.ts';
import { newRequestId } from '#shared/store/awaiting-confirmation.ts';
import { countryFor } from './countries.ts';
import type { BenchDynamo } from './dynamo.ts';
import { mapPool, sleep } from './stats.ts';
import { signatureStatus, subscriberStatus } from '#shared/domain/statuses.ts';
import { indexEntries } from '#shared/store/layout.ts';

export interface PendingSignature {
  key: { pk: string; sk: string };
  email: string;
}


/** Records `count` pending signatures through the store (as the sign handler does), `concurrency` at a time. */
export async function recordPending(campaign: string, count: number, prefix: string, concurrency: number): Promise<PendingSignature[]> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return mapPool(indexes, concurrency, async (i) => {
    const email = `${prefix}-${i}@bench.example.org`;
    const outcome = await recordSignature(campaign, { name: `Bench Signer ${i}`, email, country: countryFor(i), public: false, subscribe: false });
    if (outcome !== 'recorded') throw new Error(`signature ${email} was ${outcome}, not recorded`);
    return { key: keys.signature(campaign, emailKey(email)), email };
  });
}

/** Confirmed subscribers who take urgent calls and the weekly digest, `reader<i>@example.org`, keyed `<prefix>-<i>`. */
export function seedSubscribers(dynamo: BenchDynamo, count: number, prefix: string): Promise<number> {
  return batchWriteAll(
    dynamo,
    count,
    (i) => {
      const key = `${prefix}-${String(i).padStart(7, '0')}`;
      return {
        ...keys.subscriber(key),
        type: 'subscriber',
        key,
        email: `reader${i}@example.org`,
        urgent: true,
        digest: 'weekly',
        countries: [],
        topics: [],
        status: subscriberStatus.confirmed,
        ...indexEntries.confirmedSubscriber(key),
      };
    },
    16,
  );
}

/** Writes items 25 to a BatchWriteItem, `parallel` batches at a time, retrying unprocessed items. Returns the retries. */
export async function batchWriteAll(dynamo: BenchDynamo, count: number, item: (i: number) => Record<string, unknown>, parallel: number): Promise<number> {
  const batches = Math.ceil(count / 25);
  let retries = 0;
  await mapPool(Array.from({ length: batches }, (_, b) => b), parallel, async (b) => {
    let pending = [];
    for (let i = b * 25; i < Math.min(count, (b + 1) * 25); i++) pending.push({ PutRequest: { Item: item(i) } });
    for (let attempt = 0; pending.length > 0; attempt++) {
      const result = await dynamo.doc.send(new BatchWriteCommand({ RequestItems: { [dynamo.tableName]: pending } }));
      pending = (result.UnprocessedItems?.[dynamo.tableName] ?? []) as typeof pending;
      if (pending.length > 0) {
        retries++;
        await sleep(Math.min(1000, 20 * 2 ** attempt));
      }
    }
  });
  return retries;
}

/**
 * Pending signatures whose first confirmation mail counts as already sent: the token items (with
 * `mailedAt`) are written first, then the signatures, both in the shape the store writes them. The
 * mailer then finds each link issued and mailed and sends nothing. For benchmarks of the confirmation
 * path, where thousands of real mails would only be load on the side.
 */
export async function writeQuietPending(
  dynamo: BenchDynamo,
  campaign: string,
  count: number,
  prefix: string,
  options: { source?: (i: number) => Record<string, string> } = {},
): Promise<{ signatures: PendingSignature[]; tokens: string[] }> {
  const ttlDays = config().CONFIRMATION_TTL_DAYS;
  const now = new Date();
  const signatures: PendingSignature[] = [];
  const tokens: string[] = [];
  const requests: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}-${i}@bench.example.org`;
    const key = keys.signature(campaign, emailKey(email));
    signatures.push({ key, email });
    requests.push(newRequestId());
    tokens.push(deriveToken(key.pk, requests[i]!));
  }
  const expires = new Date(now.getTime() + ttlDays * 86_400_000);
  await batchWriteAll(
    dynamo,
    count,
    (i) => ({
      ...keys.token(sha256(tokens[i]!)),
      type: 'token',
      action: 'signature',
      subject: signatures[i]!.key,
      issuedFor: requests[i],
      expiresAtIso: expires.toISOString(),
      expiresAt: Math.floor(expires.getTime() / 1000) + 30 * 86_400,
      mailedAt: now.toISOString(),
    }),
    16,
  );
  await batchWriteAll(
    dynamo,
    count,
    (i) => ({
      ...signatures[i]!.key,
      type: 'signature',
      id: newId(),
      campaign,
      name: `Bench Signer ${i}`,
      email: signatures[i]!.email,
      country: countryFor(i),
      public: false,
      subscribe: false,
      status: signatureStatus.awaitingLink,
      linkRequests: 1,
      requestId: requests[i],
      generation: requests[i],
      createdAt: now.toISOString(),
      requestedAt: now.toISOString(),
      ...(options.source ? { source: options.source(i) } : {}),
      ...personIndex(signatures[i]!.key.pk, signatures[i]!.email),
      expiresAt: Math.floor(now.getTime() / 1000) + ttlDays * 86_400,
    }),
    16,
  );
  return { signatures, tokens };
}

const firstNames = ['Amina', 'Youssef', 'Salma', 'Karim', 'Fatima', 'Omar', 'Leila', 'Hassan', 'Nadia', 'Rachid', 'Marie', 'Jean', 'Lucía', 'Carlos',
  'Ana', 'Giulia', 'Marco', 'Aigerim', 'Nurlan', 'Dana', 'Zeynep', 'Mehmet', 'Sara', 'David', 'Hannah', 'Tom', 'Ines', 'Pablo', 'Sofia', 'Yara',
  'Malik', 'Rania', 'Aisha', 'Ibrahim', 'Chloé', 'Lukas', 'Emma', 'Noah', 'Mariam', 'Khalid'];
const lastNames = ['El Idrissi', 'Benali', 'Alaoui', 'Haddad', 'Martin', 'Dubois', 'García', 'López', 'Rossi', 'Bianchi', 'Nurpeisova', 'Abenov',
  'Yılmaz', 'Demir', 'Müller', 'Schmidt', 'Smith', 'Jones', 'Khalil', 'Mansour', 'Ortiz', 'Hernández', 'Moreau', 'Lefèvre', 'Ferrari', 'Costa',
  'Saidi', 'Amrani', 'Tazi', 'Berrada', 'Kaya', 'Öztürk', 'Fischer', 'Weber', 'Brown', 'Taylor', 'Nasser', 'Darwish', 'Romero', 'Torres'];
const domains = ['gmail.com', 'yahoo.fr', 'hotmail.com', 'outlook.com', 'proton.me', 'gmx.de', 'orange.fr', 'menara.ma', 'mail.kz', 'libero.it', 'riseup.net', 'posteo.de'];
const comments = ['Freedom for all political prisoners.', 'Solidarity from Casablanca.', 'Stop the repression now!', 'Release them all, today.', 'We stand with the workers.'];

/** A small deterministic PRNG (mulberry32), so synthetic people look varied yet every run is the same. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A signer with a realistic-looking, varied name and address: export sizes then compress like real data
 * would (a sequence like `signer-1@…` compresses about three times better than real addresses).
 */
export function syntheticSigner(i: number, run: string): { name: string; email: string; country: string; postcode: string; comment?: string } {
  const random = prng(i * 2654435761);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const first = pick(firstNames);
  const last = pick(lastNames);
  const local = `${first}.${last}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
  const tag = Math.floor(random() * 36 ** 5).toString(36);
  return {
    name: `${first} ${last}`,
    // The run and index keep every address unique; the tag keeps them from compressing as a sequence.
    email: `${local}.${tag}${i.toString(36)}${run}@${pick(domains)}`,
    country: countryFor(Math.floor(random() * 10)),
    postcode: String(10000 + Math.floor(random() * 89999)),
    ...(random() < 0.1 ? { comment: pick(comments) } : {}),
  };
}
