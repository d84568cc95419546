// The citizen page's one call: the data tracker's findUsage, asked through this node's data port as
// the portal's subsystem, exactly as any consumer would (src/tracker/contract.ts). The national code
// travels in the JSON body, never in a URL, and appears in no log line: a failure is logged by its
// status and error type only.
import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import { trackerServiceId } from '../tracker/tracker-id.ts';
import { answerText } from '../tracker/answer-text.ts';

/** What the page needs of one entry of the tracker's answer. */
export interface UsageEntry {
  time: string;
  client: { id: string; member?: { id?: string; nameEn?: string | null; nameFa?: string | null }; subsystemName?: string | null };
  service: { id: string; title?: string | null; provider?: { id?: string; nameEn?: string | null; nameFa?: string | null } };
  purpose: string | null;
  outcome: 'answered' | 'refused';
  status: number;
  errorType?: string | null;
  requestId: string;
}

export interface UsagePage {
  entries: UsageEntry[];
  nextCursor: string | null;
  /** Nodes the tracker could not search now: the page may miss inquiries recorded there. */
  incomplete: string[];
}

export interface UsageQuestion { nationalCode: string; from: string; to: string; cursor?: string }

export type TrackerAnswer =
  | { kind: 'page'; page: UsagePage }
  /** The exchange or the tracker found the input invalid (a 400): the person can correct it. */
  | { kind: 'invalid' }
  /** Anything else: the person can only try again later. */
  | { kind: 'unavailable' };

/** An answer page of 100 entries is about 100 KB; anything far larger is not the tracker's. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** A country's nodes: a centre and 31 provinces, with room to spare. */
const MAX_NODES = 100;
/** The tracker's own timeout is 10 s (contract.ts); the exchange adds little to it. */
const TIMEOUT_MS = 15_000;
/** What the lookup declares as its purpose (X-Road-Issue), recorded with it. */
const PURPOSE = 'The citizen\'s own look at who looked them up (data tracker; SIMULATED national login)';

export class CitizenTrackerClient {
  private readonly agent = new Agent({ connections: 16, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, keepAliveTimeout: 4_000 });
  private readonly url: string;

  constructor(private readonly o: { exchangeBaseUrl: string; instance: string; client: string; pageSize?: number; log: Logger }) {
    // Each identifier part on its own, as the door decodes them (X-Road REST r1).
    const service = trackerServiceId(o.instance).split('/').map(encodeURIComponent).join('/');
    this.url = `${o.exchangeBaseUrl}/r1/${service}/usage`;
  }

  /** `detail`: the id shown to the person with a failure, and logged with it. */
  async find(q: UsageQuestion, detail: string): Promise<TrackerAnswer> {
    const body = JSON.stringify({
      nationalCode: q.nationalCode, from: q.from, to: q.to,
      ...(this.o.pageSize !== undefined ? { limit: this.o.pageSize } : {}),
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    });
    try {
      const res = await request(this.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'x-road-client': this.o.client, 'x-road-issue': PURPOSE, 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const errorType = typeof res.headers['x-road-error'] === 'string' ? res.headers['x-road-error'] : undefined;
      const text = await answerText(res.body, MAX_ANSWER_BYTES);
      // Only a refusal of the input itself is the person's to correct; another 400 of the exchange
      // (an unregistered portal subsystem, its rate limit) is the operator's or a matter of time.
      if (res.statusCode === 400 && (errorType === 'Client.InvalidRequest' || (errorType === undefined && typeOf(text) === 'Tracker.InvalidInput'))) {
        return { kind: 'invalid' };
      }
      if (res.statusCode !== 200 || text === undefined) {
        this.o.log.warn({ detail, status: res.statusCode, errorType, service: trackerServiceId(this.o.instance) }, 'citizen page: the data tracker did not answer');
        return { kind: 'unavailable' };
      }
      const page = asPage(text);
      if (!page) {
        this.o.log.warn({ detail, status: res.statusCode, service: trackerServiceId(this.o.instance) }, 'citizen page: the data tracker answered outside its contract');
        return { kind: 'unavailable' };
      }
      return { kind: 'page', page };
    } catch (err) {
      // undici's errors name the address and the cause, never the request body.
      const code = (err as { code?: unknown; name?: unknown }).code ?? (err as { name?: unknown }).name;
      this.o.log.warn({ detail, code: typeof code === 'string' ? code : 'unknown', service: trackerServiceId(this.o.instance) }, 'citizen page: the data tracker could not be reached');
      return { kind: 'unavailable' };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function typeOf(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as { type?: unknown } | null)?.type;
  } catch {
    return undefined;
  }
}

/** The shape the page relies on; the exchange has already checked the answer against the contract. */
function asPage(text: string): UsagePage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object') return undefined;
  const p = v as { entries?: unknown; nextCursor?: unknown; incomplete?: unknown };
  if (!Array.isArray(p.entries) || !(p.nextCursor === null || typeof p.nextCursor === 'string')) return undefined;
  const ok = p.entries.every((e: unknown) => {
    const x = e as Partial<UsageEntry> | null;
    return x !== null && typeof x === 'object' && typeof x.time === 'string' && !Number.isNaN(Date.parse(x.time))
      && typeof x.client?.id === 'string' && typeof x.service?.id === 'string' && typeof x.requestId === 'string';
  });
  // Absent from the answers of a tracker that searched one node only.
  const incomplete = p.incomplete === undefined ? [] : p.incomplete;
  const nodesOk = Array.isArray(incomplete) && incomplete.length <= MAX_NODES
    && incomplete.every((n: unknown) => typeof n === 'string' && n.length > 0 && n.length <= 64);
  return ok && nodesOk ? { entries: p.entries as UsageEntry[], nextCursor: p.nextCursor, incomplete: incomplete as string[] } : undefined;
}
