// Who is calling: the subsystem in X-Road-Client, which must be registered and, over TLS, must be
// the subsystem the client certificate was issued to.
import { Errors, fail } from '../../errors/catalogue.ts';
import { parseSubsystemId, subsystemKey } from '../../identifiers/xroad-id.ts';
import type { Stage } from '../stage.ts';

export function identifyCaller(): Stage {
  return {
    name: 'identify-caller',
    failMode: 'closed',
    run(ex) {
      if (!ex.clientHeader) fail(Errors.InvalidClientIdentifier, 'X-Road-Client header is missing');
      const client = subsystemKey(parseSubsystemId(ex.clientHeader));
      if (ex.tls) {
        if (!ex.tls.authorized) fail(Errors.SslAuthenticationFailed, ex.tls.reason ?? 'no client certificate');
        if (ex.tls.subsystem !== client) {
          fail(Errors.SslAuthenticationFailed, `the certificate is bound to ${ex.tls.subsystem ?? 'no subsystem'}, X-Road-Client says ${client}`);
        }
      }
      if (!ex.snapshot.subsystems.has(client)) fail(Errors.UnknownClient, client);
      ex.client = client;
    },
  };
}
