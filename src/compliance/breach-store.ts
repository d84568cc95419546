// SLA evaluations and breaches, kept in the records database beside the rollups they are computed
// from. Why there and not in the registry: they are facts measured from this node's traffic, like
// the rollups, not configuration; writing them to the registry would make every monthly evaluation
// a registry change with a signed snapshot for the data planes to load. Each row keeps the targets
// that applied (the SLA document's version is its updatedAt), so a later change of the document does
// not rewrite what was found. Re-evaluating a month under the same version replaces its rows (one
// transaction: never duplicated, never half-replaced); under another version it adds rows beside them.
// Hourly retention never touches these tables.
import type Database from 'better-sqlite3';
import { breachesOf, type CriterionResult, type SlaMonthResult } from './sla-evaluation.ts';

export interface KeptBreach {
  serviceId: string;
  provider: string;
  agency: string;
  month: string;
  criterion: CriterionResult['criterion'];
  unit: CriterionResult['unit'];
  target: number;
  actual: number;
  off: number;
  slaVersion: string;
  evaluatedAt: string;
}

export function createComplianceTables(db: Database.Database): void {
  db.exec(`
    create table if not exists sla_evaluations (
      service_id text not null,
      month text not null,
      sla_version text not null,
      agency text not null,
      compliant integer not null,
      evaluated_at text not null,
      result text not null,
      primary key (service_id, month, sla_version)
    ) without rowid;
    create table if not exists sla_breaches (
      service_id text not null,
      month text not null,
      sla_version text not null,
      criterion text not null,
      provider text not null,
      agency text not null,
      unit text not null,
      target real not null,
      actual real not null,
      off real not null,
      evaluated_at text not null,
      primary key (service_id, month, sla_version, criterion)
    ) without rowid;
    create index if not exists sla_breaches_month on sla_breaches (month);
  `);
}

interface BreachRow {
  service_id: string; month: string; sla_version: string; criterion: string; provider: string; agency: string;
  unit: string; target: number; actual: number; off: number; evaluated_at: string;
}

const breachOf = (r: BreachRow): KeptBreach => ({
  serviceId: r.service_id, provider: r.provider, agency: r.agency, month: r.month, criterion: r.criterion as KeptBreach['criterion'],
  unit: r.unit as KeptBreach['unit'], target: r.target, actual: r.actual, off: r.off, slaVersion: r.sla_version, evaluatedAt: r.evaluated_at,
});

export class BreachStore {
  private readonly deleteEvaluation: Database.Statement;
  private readonly deleteBreaches: Database.Statement;
  private readonly insertEvaluation: Database.Statement;
  private readonly insertBreach: Database.Statement;
  private readonly evaluationsOfMonth: Database.Statement;
  private readonly breachesOfMonth: Database.Statement;
  private readonly evaluatedServices: Database.Statement;

  constructor(private readonly db: Database.Database) {
    createComplianceTables(db);
    this.deleteEvaluation = db.prepare('delete from sla_evaluations where service_id = ? and month = ? and sla_version = ?');
    this.deleteBreaches = db.prepare('delete from sla_breaches where service_id = ? and month = ? and sla_version = ?');
    this.insertEvaluation = db.prepare('insert into sla_evaluations values (?, ?, ?, ?, ?, ?, ?)');
    this.insertBreach = db.prepare(`insert into sla_breaches (service_id, month, sla_version, criterion, provider, agency, unit, target, actual, off, evaluated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.evaluationsOfMonth = db.prepare('select result from sla_evaluations where month = ? order by service_id, evaluated_at').pluck();
    this.breachesOfMonth = db.prepare('select * from sla_breaches where month = ? order by agency, service_id, sla_version, criterion');
    this.evaluatedServices = db.prepare('select distinct service_id from sla_evaluations where month = ?').pluck();
  }

  /** Keeps the results of one month's evaluation (see the top of this file). */
  keep(results: readonly SlaMonthResult[]): void {
    this.db.transaction(() => {
      for (const r of results) {
        this.deleteEvaluation.run(r.serviceId, r.month, r.slaVersion);
        this.deleteBreaches.run(r.serviceId, r.month, r.slaVersion);
        this.insertEvaluation.run(r.serviceId, r.month, r.slaVersion, r.agency, r.compliant ? 1 : 0, r.evaluatedAt, JSON.stringify(r));
        for (const c of breachesOf(r)) {
          this.insertBreach.run(r.serviceId, r.month, r.slaVersion, c.criterion, r.provider, r.agency, c.unit, c.target, c.actual, c.off, r.evaluatedAt);
        }
      }
    }).immediate();
  }

  /** Every kept evaluation of a month, every version. */
  evaluations(month: string): SlaMonthResult[] {
    return (this.evaluationsOfMonth.all(month) as string[]).map((t) => JSON.parse(t) as SlaMonthResult);
  }

  /** Per service, the month's most recent evaluation: the verdict reports show. */
  latest(month: string): SlaMonthResult[] {
    const out = new Map<string, SlaMonthResult>();
    for (const r of this.evaluations(month)) {
      const seen = out.get(r.serviceId);
      if (!seen || seen.evaluatedAt <= r.evaluatedAt) out.set(r.serviceId, r);
    }
    return [...out.values()];
  }

  /** Every kept breach of a month, every version. */
  breaches(month: string): KeptBreach[] {
    return (this.breachesOfMonth.all(month) as BreachRow[]).map(breachOf);
  }

  /** Services with an evaluation of the month under any version. */
  evaluated(month: string): Set<string> {
    return new Set(this.evaluatedServices.all(month) as string[]);
  }
}
