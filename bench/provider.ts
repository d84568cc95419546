// The SIMULATED demo agencies in a process of their own, so that they can be pinned and kept apart
// from the node's CPU accounting.  Usage: node --import tsx bench/provider.ts <port>
import { createAgencyServer } from '../src/simulation/agencies/server.ts';
import { demoAgencies } from '../src/simulation/agencies/demo.ts';

const port = Number(process.argv[2]);
const server = createAgencyServer(demoAgencies());
// Node's default of 5 s would drop the node's and nginx's pooled connections between rows, so
// each row would start with a reconnect storm; the node's own ports use 65 s too.
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
