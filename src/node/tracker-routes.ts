// `POST /node/v1/tracker/find-usage` on the node port: the central node's data tracker asks this
// node for a citizen's inquiries recorded here (src/tracker/across-nodes.ts). The body is the
// inquiry itself (src/tracker/node-search.ts says why a hash would not do): this node hashes the
// national code with its own subject key and reads its own records.db, read-only, with the
// tracker's one query (src/tracker/query.ts), and answers that page of raw rows; the centre merges
// and names them. Besides, a page of its `<node>/routed` chain: the exchanges other provincial nodes
// routed here (never those the centre routed, which the centre holds itself), each with the node that
// routed it, for the centre to list when that node is one it could not reach
// (src/tracker/node-search.ts says why this node cannot be told which those are).
//
// Who may ask: this node's central node only (`--central-node-id`), as its certificate proves it
// (peerOf): a citizen's record is the centre's to show, through its tracker's access rights and
// records, and no other node's. Another node's certificate is refused (Node.Tracker.NotCentralNode);
// a subsystem's never passes the port's peer check (Node.PeerRefused).
//
// Bounds: a body of at most 2 KiB, every field checked by the schema and the check digit, at most
// MAX_LIMIT + 1 rows of each page by the subject index. The query is synchronous on this process's event loop,
// like the rollup pulls: one indexed page, asked no more often than citizens ask the centre.
// Nothing of the inquiry is logged or quoted: refusals name fields, never values.
import { Type } from 'typebox';
import Database from 'better-sqlite3';
import { Errors, TabadolError, fail } from '../errors/catalogue.ts';
import { isNationalCode } from '../identifiers/iran.ts';
import { subjectHash } from '../identifiers/subject-hash.ts';
import { loadOrCreateNodeKeys } from '../keys/node-keys.ts';
import { recordsFile } from '../records/record-store.ts';
import { MAX_LIMIT } from '../tracker/contract.ts';
import { ISO_MS, MAX_CHAIN_ID, MAX_NODE_ID } from '../tracker/cursor.ts';
import { MAX_CALLER, NODE_SEARCH_BODY_LIMIT, NODE_SEARCH_PATH, type NodeSearchAnswer } from '../tracker/node-search.ts';
import { prepareRoutedQuery, prepareUsageQuery } from '../tracker/query.ts';
import { trackerServiceId } from '../tracker/tracker-id.ts';
import { routedChainId } from './exchange-routes.ts';
import type { NodeConfig } from './config.ts';
import { peerOf, type NodePortPlugin } from './node-port.ts';

const Iso = Type.String({ pattern: ISO_MS.source });
const NodeSearchBody = Type.Object({
  // Latin digits: the centre has read the inquiry already (src/tracker/inquiry.ts).
  nationalCode: Type.String({ pattern: '^[0-9]{10}$' }),
  fromIso: Iso,
  toIso: Iso,
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT }),
  after: Type.Optional(Type.Object({
    timeIn: Iso,
    node: Type.String({ minLength: 1, maxLength: MAX_NODE_ID }),
    chainId: Type.String({ minLength: 1, maxLength: MAX_CHAIN_ID }),
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  }, { additionalProperties: false })),
  caller: Type.String({ minLength: 1, maxLength: MAX_CALLER }),
  userIds: Type.Boolean(),
}, { additionalProperties: false });

export function trackerRoutes(config: NodeConfig): NodePortPlugin {
  return {
    name: 'tracker',
    async register(app, ctx) {
      // The subject-hash key this node's data plane records with.
      const { subjectKey } = await loadOrCreateNodeKeys(config.dataDir);
      const trackerService = trackerServiceId(config.instance);
      const leaveOut = routedChainId(ctx.nodeId);
      const central = config.centralNode?.nodeId ?? null;
      let db: Database.Database | undefined;
      let query: { usage: ReturnType<typeof prepareUsageQuery>; routed: ReturnType<typeof prepareRoutedQuery> } | undefined;
      /** Opened on first use, and again after a failure: records.db may not exist yet when the port opens. */
      const usageQuery = () => {
        if (!query) {
          db = new Database(recordsFile(config.dataDir), { readonly: true, fileMustExist: true });
          db.pragma('busy_timeout = 2000');
          query = { usage: prepareUsageQuery(db), routed: prepareRoutedQuery(db) };
        }
        return query;
      };

      app.post(NODE_SEARCH_PATH, { bodyLimit: NODE_SEARCH_BODY_LIMIT, schema: { body: NodeSearchBody } }, (req): NodeSearchAnswer => {
        const peer = peerOf(req).nodeId;
        if (central === null || peer !== central) {
          fail(Errors.NodeTrackerNotCentral, `node ${peer} asked; ${central === null ? 'this node reports to no central node' : `this node's central node is ${central}`}`);
        }
        const s = req.body;
        if (!isNationalCode(s.nationalCode)) fail(Errors.InvalidInput, 'nationalCode is not a national code (10 digits with a valid check digit)');
        if (!(s.fromIso < s.toIso)) fail(Errors.InvalidInput, 'fromIso is not before toIso');
        let rows, routed;
        try {
          const q = usageQuery();
          const asked = {
            subjectHash: subjectHash(subjectKey, s.nationalCode), fromIso: s.fromIso, toIso: s.toIso, nodeId: ctx.nodeId,
            after: s.after, limit: s.limit, trackerService, caller: s.caller,
          };
          rows = q.usage({ ...asked, leaveOutChain: leaveOut });
          routed = q.routed({ ...asked, routedChainId: leaveOut, routedBy: { except: [central] } });
        } catch (e) {
          query = undefined;
          db?.close();
          db = undefined;
          throw new TabadolError(Errors.TrackerUnavailable, `records could not be read (${(e as { code?: string }).code ?? 'error'})`);
        }
        // Officials' user ids leave this node only for a caller the centre shows them to.
        if (!s.userIds) {
          rows = rows.map((r) => ({ ...r, user_id: null }));
          routed = routed.map((r) => ({ ...r, user_id: null }));
        }
        return { node: ctx.nodeId, rows, routed };
      });
      app.addHook('onClose', (_instance, done) => { db?.close(); done(); });
    },
  };
}
