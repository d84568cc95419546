// Who is calling: the subsystem in X-Road-Client, which must be registered and, over TLS, must be
// the subsystem the client certificate was issued to, with a certificate not revoked. The check
// runs on every request, not once per connection, so a revocation reaches open keep-alive
// connections at their next request once the snapshot carrying it is loaded.
import { Errors, fail } from '../../errors/catalogue.ts';
import { parseClientHeader, subsystemKey } from '../../identifiers/xroad-id.ts';
import type { SyncStage } from '../stage.ts';

export function identifyCaller(): SyncStage {
  return {
    name: 'identify-caller',
    failMode: 'closed',
    run(ex) {
      if (!ex.clientHeader) fail(Errors.InvalidClientIdentifier, 'X-Road-Client header is missing');
      // Each part percent-decoded on its own (PR-REST §4.3), so whatever code can be registered can be named.
      const client = subsystemKey(parseClientHeader(ex.clientHeader));
      if (ex.tls) {
        if (!ex.tls.authorized) fail(Errors.SslAuthenticationFailed, ex.tls.reason ?? 'no client certificate');
        if (ex.tls.serial !== undefined && ex.snapshot.revokedSerials.has(ex.tls.serial)) {
          fail(Errors.SslAuthenticationFailed, `the certificate ${ex.tls.serial} has been revoked`);
        }
        if (ex.tls.subsystem !== client) {
          fail(Errors.SslAuthenticationFailed, `the certificate is bound to ${ex.tls.subsystem ?? 'no subsystem'}, X-Road-Client says ${client}`);
        }
      }
      if (!ex.snapshot.subsystems.has(client)) fail(Errors.UnknownClient, client);
      ex.client = client;
    },
  };
}
