// The registry's record of node certificates (src/identity/node-certificates.ts): every one the CA
// issued, so that it can be listed and revoked; revoked serials travel in the signed snapshot, in the
// same list as revoked client certificates (src/snapshot/publish.ts). Each change is one transaction
// with its change-log entry and the snapshot it causes, as every registry change is (registry.ts).
import type { RegistryDb } from '../store/database.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { publishSnapshotIn, type PublishOptions } from '../snapshot/publish.ts';
import { claimCentralNode, checkNodeId, type RegistryRole } from './central-node.ts';
import { ContractVerdicts } from './contract-verdicts.ts';
import { MAX_DESCRIPTION_LENGTH, normaliseOptionalName } from './names.ts';
import { RegistryChange } from './operations.ts';
import { normaliseSerial } from './serial.ts';

export interface NodeCertificateInput { serial: string; nodeId: string; notBefore: string; notAfter: string }
export interface RevokedNodeCertificate { serial: string; nodeId: string; notAfter: string }

export interface NodeCertificateOptions extends PublishOptions {
  /** As for Registry: 'node' when the node owning the registry records, 'tool' for the CLI. */
  role: RegistryRole;
}

export class NodeCertificates {
  constructor(
    readonly db: RegistryDb,
    private readonly o: NodeCertificateOptions,
  ) {}

  private now(): string {
    return this.o.now().toISOString();
  }

  /** Records a certificate the CA just issued; refused if its serial is known as any certificate. */
  record(input: NodeCertificateInput, actor = 'admin'): Promise<string> {
    return this.change(actor, async (trx, change) => {
      const serial = normaliseSerial(input.serial);
      const nodeId = checkNodeId(input.nodeId);
      const [asNode, asClient] = await Promise.all([
        trx.selectFrom('node_certificates').select('serial').where('serial', '=', serial).executeTakeFirst(),
        trx.selectFrom('certificates').select('serial').where('serial', '=', serial).executeTakeFirst(),
      ]);
      if (asNode || asClient) fail(Errors.AlreadyExists, `certificate ${serial}`);
      await trx.insertInto('node_certificates').values({
        serial, node_id: nodeId, not_before: iso(input.notBefore, 'notBefore'), not_after: iso(input.notAfter, 'notAfter'),
        issued_at: this.now(), revoked_at: null, revoked_reason: null,
      }).execute();
      await change.log('node-certificate.issue', nodeId, { serial, notAfter: input.notAfter });
      return serial;
    });
  }

  revoke(serialText: string, actor = 'admin', reasonText?: string): Promise<RevokedNodeCertificate> {
    return this.change(actor, async (trx, change) => {
      const serial = normaliseSerial(serialText);
      const reason = normaliseOptionalName(reasonText, 'reason', MAX_DESCRIPTION_LENGTH) ?? 'revoked by the operator';
      const row = await trx.selectFrom('node_certificates').selectAll().where('serial', '=', serial).executeTakeFirst();
      if (!row) {
        const client = await trx.selectFrom('certificates').select('serial').where('serial', '=', serial).executeTakeFirst();
        fail(Errors.NotFound, client
          ? `certificate ${serial} is a subsystem's client certificate: revoke it with tabadol cert revoke --serial ${serial}`
          : `no node certificate with serial ${serial} was issued through this registry`);
      }
      if (row.revoked_at) fail(Errors.Conflict, `node certificate ${serial} was already revoked at ${row.revoked_at}`);
      await trx.updateTable('node_certificates').set({ revoked_at: this.now(), revoked_reason: reason }).where('serial', '=', serial).execute();
      await change.log('node-certificate.revoke', row.node_id, { serial, reason });
      return { serial, nodeId: row.node_id, notAfter: row.not_after };
    });
  }

  /** Node certificates, revoked ones included, oldest first. */
  list(nodeId?: string) {
    let q = this.db.selectFrom('node_certificates').selectAll();
    if (nodeId !== undefined) q = q.where('node_id', '=', checkNodeId(nodeId));
    return q.orderBy('issued_at').orderBy('serial').execute();
  }

  /**
   * One change: the central node's claim first (it takes the write lock, as Registry.batch does),
   * the operation with its change-log entry, then the snapshot it causes, committed together.
   */
  private change<T>(actor: string, fn: (trx: RegistryDb, change: RegistryChange) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const centralNode = await claimCentralNode(trx, this.o.nodeId, this.o.role);
      const change = new RegistryChange({
        trx, instance: this.o.instance, centralNode, actor, now: () => this.now(), verdicts: new ContractVerdicts(),
      });
      const value = await fn(trx, change);
      if (change.entries > 0) await publishSnapshotIn(trx, { ...this.o, centralNode });
      return value;
    });
  }
}

function iso(value: string, name: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) fail(Errors.InvalidInput, `${name} is not an ISO 8601 date: ${value}`);
  return new Date(t).toISOString();
}
