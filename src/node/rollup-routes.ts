// `GET /node/v1/rollups?grain=day|month&since=CURSOR` on the node port: this node's day or month
// rollup rows changed since the cursor (src/oversight/rollup-changes.ts), for its central node only.
// Aggregates, not records; still, they are this node's to give to its centre and to no other node.
import { Type } from 'typebox';
import { Errors, fail } from '../errors/catalogue.ts';
import type { RollupChanges } from '../oversight/rollup-changes.ts';
import { PULLED_GRAINS } from '../oversight/rollup-tables.ts';
import { peerOf, type NodePortPlugin } from './node-port.ts';

const RollupsQuery = Type.Object({
  grain: Type.Enum(PULLED_GRAINS),
  since: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

export function rollupRoutes(changes: RollupChanges, centralNodeId: string | null): NodePortPlugin {
  return {
    name: 'rollups',
    register(app) {
      app.get('/node/v1/rollups', { schema: { querystring: RollupsQuery } }, (req) => {
        const peer = peerOf(req).nodeId;
        if (centralNodeId === null || peer !== centralNodeId) fail(Errors.NodeNotCentral, `node ${peer} asked; ${centralNodeId === null ? 'this node reports to no central node' : `this node's central node is ${centralNodeId}`}`);
        return changes.page(req.query.grain, req.query.since);
      });
    },
  };
}
