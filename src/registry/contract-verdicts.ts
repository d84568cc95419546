// The registry's contract check with a memory of contracts it has accepted. The full check
// (contracts/check-contract.ts) costs tens of milliseconds, mostly the OpenAPI 3.1 validation; a
// registry of a thousand services built from a few dozen contract shapes would spend a minute
// re-proving the same verdict.
//
// Two contracts share a verdict when they differ only in the text of their annotations: the
// string value of a `title`, `summary` or `description` key. No check reads those strings, only
// their presence and their type, so both pass or both fail. To keep that true the shape leaves
// verbatim what could be read: data (`example`, `examples`, `default`, `const`, `enum`),
// discriminator `mapping` values (references) and `x-` extensions; a key named like an annotation
// whose value is not a string (a property called "title") stays part of the shape, and one with a
// string value where a schema belongs (`properties: { description: "…" }`) stays a string, so it
// is still refused. Only acceptances are remembered: a refusal is checked again each time, so that
// its message names the fault of the contract at hand.
import { createHash } from 'node:crypto';
import { checkContract } from '../contracts/check-contract.ts';

const ANNOTATIONS = new Set(['title', 'summary', 'description']);
const VERBATIM = new Set(['example', 'examples', 'default', 'const', 'enum']);
/** Enough for every distinct contract shape of a national registry; the oldest is forgotten first. */
const REMEMBERED = 4096;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The contract with every annotation text emptied, as JSON: equal shapes, equal verdicts. */
export function contractShape(contract: unknown): string {
  const walk = (v: unknown, parentKey: string | undefined): unknown => {
    if (Array.isArray(v)) return v.map((item) => walk(item, undefined));
    if (!isObj(v)) return v;
    // No prototype: a "__proto__" key stays an own key and part of the shape.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, child] of Object.entries(v)) {
      if (VERBATIM.has(k) || k.startsWith('x-') || parentKey === 'mapping') out[k] = child;
      else if (ANNOTATIONS.has(k) && typeof child === 'string') out[k] = '';
      else out[k] = walk(child, k);
    }
    return out;
  };
  // JSON.stringify gives undefined for undefined: still a shape, never an accepted one.
  return String(JSON.stringify(walk(contract, undefined)));
}

export class ContractVerdicts {
  private readonly accepted = new Map<string, true>();

  /** Refuses, with Admin.InvalidContract, a contract the exchange cannot enforce exactly. */
  async check(contract: unknown): Promise<void> {
    const key = createHash('sha256').update(contractShape(contract)).digest('base64');
    if (this.accepted.has(key)) {
      // Most recently used last, so that the oldest is the one forgotten.
      this.accepted.delete(key);
      this.accepted.set(key, true);
      return;
    }
    await checkContract(contract);
    this.accepted.set(key, true);
    if (this.accepted.size > REMEMBERED) this.accepted.delete(this.accepted.keys().next().value!);
  }

  get size(): number {
    return this.accepted.size;
  }
}
