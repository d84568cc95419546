// The central node's tracker asks the other nodes: each provincial node in the snapshot's node list
// searches its own records.db for the citizen (src/node/tracker-routes.ts) and answers its page of
// rows, and its routed chain's page (kept for the nodes not reached); the tracker merges them with
// its own (node-search.ts, mergePage).
//
// Bounds, since a province may be slow, down or cut off:
// - one deadline for the whole search (NODE_DEADLINE_MS), well inside the tracker service's own
//   timeout (contract.ts): a node that has not answered by then is named in the answer's
//   `incomplete` instead of failing it, and the citizen is told that part of the record could not
//   be read now;
// - at most NODES_AT_ONCE nodes asked at the same time, and a few connections to each
//   (PeerDispatchers' bound per peer), so a burst of inquiries cannot open a node's worth of sockets;
// - each answer read up to NODE_ANSWER_LIMIT bytes and checked row by row (readNodeAnswer).
// The calls go over mutual TLS on this node's node certificate, read from the data directory as the
// data plane reads it (src/node/peer-dispatchers.ts); the peer's certificate must be bound to the
// node called. What goes wrong is reported by node id and error type only.
import { request } from 'undici';
import { isTabadolError } from '../errors/catalogue.ts';
import { PeerDispatchers } from '../node/peer-dispatchers.ts';
import { answerText } from './answer-text.ts';
import { NODE_ANSWER_LIMIT, NODE_SEARCH_PATH, readNodeAnswer, type NodeAnswer, type NodeSearch } from './node-search.ts';

/** The whole search, every node: a few seconds, within the tracker service's 10 s. */
export const NODE_DEADLINE_MS = 4000;
const NODES_AT_ONCE = 32;
const CONNECTIONS_PER_NODE = 4;
const WAITING_PER_NODE = 32;

export interface PeerNode { id: string; url: string }

export interface NodesSearched {
  /** Each searched node's answer: its own rows, and its routed chain's (kept only for nodes not reached). */
  answers: NodeAnswer[];
  /** The nodes that could not be searched, in the order asked. */
  incomplete: string[];
  /** Why, per node: an error type, never a value of the inquiry. */
  problems: { node: string; reason: string }[];
}

export class NodeSearcher {
  private readonly peers: PeerDispatchers;
  private readonly deadlineMs: number;

  constructor(o: { dataDir: string; revokedSerials: () => ReadonlySet<string> | undefined; now: () => number; deadlineMs?: number }) {
    this.peers = new PeerDispatchers({
      dataDir: o.dataDir, revokedSerials: o.revokedSerials, now: o.now,
      connectionsPerPeer: CONNECTIONS_PER_NODE, queuePerPeer: WAITING_PER_NODE,
    });
    this.deadlineMs = o.deadlineMs ?? NODE_DEADLINE_MS;
  }

  async search(nodes: readonly PeerNode[], s: NodeSearch): Promise<NodesSearched> {
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const body = JSON.stringify(s);
    const results: (NodeAnswer | { reason: string })[] = new Array(nodes.length);
    let next = 0;
    const lane = async () => {
      while (next < nodes.length) {
        const i = next++;
        results[i] = await this.ask(nodes[i]!, body, s, deadline).catch((e: unknown) => ({ reason: reasonOf(e, deadline) }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(NODES_AT_ONCE, nodes.length) }, lane));
    const out: NodesSearched = { answers: [], incomplete: [], problems: [] };
    results.forEach((r, i) => {
      if (!('reason' in r)) out.answers.push(r);
      else {
        out.incomplete.push(nodes[i]!.id);
        out.problems.push({ node: nodes[i]!.id, reason: r.reason });
      }
    });
    return out;
  }

  private async ask(node: PeerNode, body: string, s: NodeSearch, signal: AbortSignal): Promise<NodeAnswer> {
    signal.throwIfAborted();
    const dispatcher = await this.peers.acquire(node.id);
    try {
      const res = await request(new URL(NODE_SEARCH_PATH, node.url), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher, signal,
      });
      if (res.statusCode !== 200) {
        const type = res.headers['x-road-error'];
        await res.body.dump();
        throw new NodeRefused(`${res.statusCode} ${typeof type === 'string' ? type.slice(0, 80) : ''}`.trim());
      }
      const text = await answerText(res.body, NODE_ANSWER_LIMIT);
      if (text === undefined) throw new NodeRefused('an answer larger than a page');
      return readNodeAnswer(text, node.id, s);
    } finally {
      this.peers.release(node.id);
    }
  }

  close(): Promise<void> {
    return this.peers.close();
  }
}

/** A node's refusal, said by status and error type: never logged with anything the inquiry held. */
class NodeRefused extends Error {}

function reasonOf(e: unknown, deadline: AbortSignal): string {
  if (deadline.aborted) return 'no answer in time';
  if (e instanceof NodeRefused) return `answered ${e.message}`;
  // Coded errors of the node client and of readNodeAnswer name nodes and causes, never the inquiry.
  if (isTabadolError(e)) return e.message;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unreachable';
}
