// Statistics are read off the event loop: on a node whose control plane shares the data plane's
// process and event loop (--workers 1, as startTestNode runs it), a long statistics question must not
// hold up an exchange. The rollups are seeded with a year of day rows over many keys, so that a
// year-by-day question reads hundreds of thousands of rows; an exchange made while it is being read
// must be answered first. Order of completion is asserted, never a duration.
import { once } from 'node:events';
import http from 'node:http';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { formatJalali, jalaliMonthLength } from '../src/dates/jalali.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { JUDICIARY, SERVICE, useSeededNode } from './harness.ts';

const ctx = useSeededNode();
const YEAR = 1390;
const KEYS = 1400;

function seedYearOfDays(dataDir: string): number {
  const db = new Database(recordsFile(dataDir));
  db.pragma('busy_timeout = 10000');
  const key = db.prepare("insert into rollup_keys (id, client, service, endpoint, status, error_type) values (?, ?, ?, '/persons/{code}', 200, '')");
  const row = db.prepare('insert into rollup_day (period, key_id, n) values (?, ?, 1)');
  let rows = 0;
  db.transaction(() => {
    for (let k = 0; k < KEYS; k++) key.run(1_000_000 + k, `IR/GOV/LOAD-${k}/app`, `IR/GOV/NOCR/identity/load-${k % 50}`);
    for (let month = 1; month <= 12; month++) {
      for (let day = 1; day <= jalaliMonthLength(YEAR, month); day++) {
        const period = formatJalali({ year: YEAR, month, day });
        for (let k = 0; k < KEYS; k++, rows++) row.run(period, 1_000_000 + k);
      }
    }
  })();
  db.close();
  return rows;
}

/** GET on the admin port, resolving once the request has been handed to the socket and again with the answer. */
function adminGet(path: string): { sent: Promise<unknown>; answer: Promise<{ status: number; body: string }> } {
  const req = http.request({ host: '127.0.0.1', port: ctx.t.node.ports.admin, path, headers: { authorization: `Bearer ${ctx.t.node.keys.adminToken}` } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  const sent = once(req, 'finish');
  req.end();
  return { sent, answer };
}

describe('statistics off the event loop', () => {
  it('answers an exchange made while a year of day rollups is being read before the statistics', async () => {
    const rows = seedYearOfDays(ctx.t.dataDir);
    expect(rows).toBeGreaterThan(500_000);
    // A first exchange opens the connections an exchange needs; the one measured below finds them open.
    expect((await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);

    const done: string[] = [];
    const stats = adminGet(`/v1/stats?by=day&from=${YEAR}/01/01&to=${YEAR}/12/29`);
    const statsDone = stats.answer.then((a) => { done.push('stats'); return a; });
    await stats.sent;
    const exchange = ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY } })
      .then((r) => { done.push('exchange'); return r; });

    const [s, e] = await Promise.all([statsDone, exchange]);
    expect(e.status).toBe(200);
    expect(s.status, s.body).toBe(200);
    const answer = JSON.parse(s.body) as { total: { count: number }; lines: unknown[] };
    expect(answer.total.count).toBe(rows);
    expect(answer.lines).toHaveLength(365);
    expect(done).toEqual(['exchange', 'stats']);
  }, 90_000);
});
