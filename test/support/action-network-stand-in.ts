import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Action Network's API v2, for the record signature helper only
 * (`POST /api/v2/petitions/{petition}/signatures/`), checking a request as the documentation describes it: the
 * `OSDI-API-Token` header with a key that owns the petition, a JSON body, `identifiers` as `system:id` strings,
 * a `person` with at least one email address, and no field the helper does not take. It answers like the API
 * (a HAL signature; `{"error": …}` with 400, 401, 404) and keeps one signature per person (email) and petition,
 * as Action Network does. It can be told to answer the next requests with an error.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** Top-level fields the record signature helper takes (documented), and the person's. */
const signatureFields = new Set(['identifiers', 'comments', 'person', 'add_tags', 'remove_tags', 'action_network:referrer_data', 'triggers']);
const personFields = new Set(['identifiers', 'given_name', 'family_name', 'email_addresses', 'phone_numbers', 'postal_addresses', 'languages_spoken', 'custom_fields', 'status']);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ActionNetworkStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Signatures kept, by petition and email: what the partner's Action Network holds. */
  readonly signatures = new Map<string, { id: string; identifiers: string[]; person: Record<string, unknown> }>();
  private readonly petitions = new Map<string, string>();
  private faults: { status: number; retryAfter?: string }[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private port = 0;

  /** A petition of the partner whose key is `apiKey`; the id is what its API address shows. */
  petition(apiKey: string, id: string = randomUUID()): string {
    this.petitions.set(id, apiKey);
    return id;
  }

  /** The next `times` well-formed requests are answered `status` (429 with `retryAfter` seconds, if given). */
  failNext(times: number, status: number, retryAfter?: string): void {
    for (let i = 0; i < times; i++) this.faults.push({ status, ...(retryAfter === undefined ? {} : { retryAfter }) });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v2`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.faults = [];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const answer = (status: number, json: unknown): void => void res.writeHead(status, { 'content-type': 'application/hal+json' }).end(JSON.stringify(json));

    const match = /^\/api\/v2\/petitions\/([^/]+)\/signatures\/?$/.exec(path);
    if (!match) return answer(404, { error: 'Not found' });
    if (req.method !== 'POST') return answer(405, { error: 'Method not allowed' });
    const petition = decodeURIComponent(match[1]!);
    const key = req.headers['osdi-api-token'];
    if (typeof key !== 'string' || !key) return answer(401, { error: 'API Key invalid or not present' });
    if (!uuidPattern.test(petition) || !this.petitions.has(petition)) return answer(404, { error: 'Petition not found' });
    if (this.petitions.get(petition) !== key) return answer(401, { error: 'API Key invalid or not present' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return answer(400, { error: 'Content-Type must be application/json' });

    const problem = shapeProblem(body);
    if (problem) return answer(400, { error: problem });

    const fault = this.faults.shift();
    if (fault) {
      if (fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter);
      return answer(fault.status, { error: fault.status === 429 ? 'Too many requests' : fault.status === 400 ? 'That email address is not valid.' : 'Service unavailable' });
    }

    const signature = body as { identifiers?: string[]; person: { email_addresses: { address: string }[] } & Record<string, unknown> };
    const email = signature.person.email_addresses[0]!.address.toLowerCase();
    const kept = `${petition}#${email}`;
    const existing = this.signatures.get(kept);
    // One signature per person and petition: a repeat updates the person, never signs twice.
    const stored = existing ?? { id: randomUUID(), identifiers: signature.identifiers ?? [], person: signature.person };
    this.signatures.set(kept, { ...stored, person: { ...stored.person, ...signature.person } });
    const now = new Date().toISOString();
    return answer(200, {
      identifiers: [`action_network:${stored.id}`, ...stored.identifiers],
      created_date: now,
      modified_date: now,
      _links: {
        self: { href: `${this.baseUrl}/petitions/${petition}/signatures/${stored.id}` },
        'osdi:petition': { href: `${this.baseUrl}/petitions/${petition}` },
      },
    });
  }
}

/** What the documented request shape rules out, in the words of an error answer. */
function shapeProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON object.';
  const signature = body as Record<string, unknown>;
  const unknownField = Object.keys(signature).find((field) => !signatureFields.has(field));
  if (unknownField) return `Unknown field ${unknownField}.`;
  if (signature.identifiers !== undefined) {
    if (!Array.isArray(signature.identifiers) || !signature.identifiers.every((id) => typeof id === 'string' && /^[^:\s]+:\S+$/.test(id))) {
      return 'identifiers must be strings like system:id.';
    }
  }
  const person = signature.person;
  if (person === null || typeof person !== 'object' || Array.isArray(person)) return 'A person is required.';
  const personRecord = person as Record<string, unknown>;
  const unknownPersonField = Object.keys(personRecord).find((field) => !personFields.has(field));
  if (unknownPersonField) return `Unknown person field ${unknownPersonField}.`;
  const emails = personRecord.email_addresses;
  if (!Array.isArray(emails) || emails.length === 0 || typeof (emails[0] as { address?: unknown }).address !== 'string') return 'A person needs an email address or a phone number.';
  if (signature.add_tags !== undefined && !(Array.isArray(signature.add_tags) && signature.add_tags.every((t) => typeof t === 'string'))) return 'add_tags must be strings.';
  return undefined;
}
