// Serves every provider of the 1399 scenario — the reference agencies and the generated services —
// from one SIMULATED agency server, at the URLs `scenario load` registered
// (`<agencies-url>/<MEMBER>/<subsystem>/<service>`).
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { behaviourOptions, type BehaviourTable } from '../agencies/behaviour.ts';
import { createAgencyServer } from '../agencies/server.ts';
import type { Scenario } from './scenario.ts';

export interface RunningScenarioAgencies {
  readonly server: http.Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startScenarioAgencies(scenario: Scenario, o: { port: number; host?: string; behaviour?: BehaviourTable }): Promise<RunningScenarioAgencies> {
  const host = o.host ?? '127.0.0.1';
  const server = createAgencyServer(scenario.agencies, o.behaviour ? behaviourOptions(o.behaviour) : {});
  // Many consumers' exchanges arrive over the node's keep-alive pool; keep its connections open.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
