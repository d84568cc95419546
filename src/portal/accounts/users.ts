// The dashboard's accounts in the registry store (table `users`, migration 0006): a user name, one
// role, a scrypt hash (passwords.ts), and the failed-login count and lock-out of the account. Written
// by `tabadol user …` (src/cli/user-commands.ts) and by logins; a running portal reads it at login
// and re-reads a session's user once a minute (sessions.ts), so a removed user's session ends within
// a minute, whichever process removed it.
import { sql } from 'kysely';
import { Errors, fail } from '../../errors/catalogue.ts';
import type { RegistryDb } from '../../store/database.ts';
import { ROLES, type Role } from '../dashboard/context.ts';
import { hashPassword } from './passwords.ts';

/** Failed logins in a row that lock an account, and for how long (OWASP Authentication Cheat Sheet,
 * "Account Lockout": a threshold and a duration, reset by a success). */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;

const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;

export interface UserRow {
  username: string;
  role: Role;
  passwordHash: string;
  failedCount: number;
  lockedUntil: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

/** What `user list` shows: never the hash. */
export type UserInfo = Omit<UserRow, 'passwordHash'>;

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** The user name as stored: typed names are trimmed and lower-cased (NFKC, so full-width letters
 * cannot make a second "operator"). */
export function normaliseUsername(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

export function checkUsername(name: string): string {
  const n = normaliseUsername(name);
  if (!USERNAME.test(n)) fail(Errors.AccountInvalidInput, 'a user name of 2 to 32 lower-case ASCII letters, digits, ".", "_" or "-", starting with a letter');
  return n;
}

type Raw = { username: string; role: string; password_hash: string; failed_count: number; locked_until: string | null; created_at: string; last_login_at: string | null };

function toRow(r: Raw): UserRow {
  return {
    username: r.username, role: isRole(r.role) ? r.role : 'inspector', passwordHash: r.password_hash, failedCount: r.failed_count,
    lockedUntil: r.locked_until, createdAt: r.created_at, lastLoginAt: r.last_login_at,
  };
}

export class Users {
  constructor(private readonly db: RegistryDb, private readonly now: () => number = Date.now) {}

  async add(name: string, role: string, password: string): Promise<UserInfo> {
    const username = checkUsername(name);
    if (!isRole(role)) fail(Errors.AccountInvalidInput, `role ${JSON.stringify(role)}: operator, overseer or inspector`);
    if (await this.find(username)) fail(Errors.AccountExists, username);
    const hash = await hashPassword(password);
    const createdAt = new Date(this.now()).toISOString();
    const res = await this.db.insertInto('users')
      .values({ username, role, password_hash: hash, locked_until: null, created_at: createdAt, last_login_at: null })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    // Two adds of one name at once: the second finds the row the first wrote.
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) fail(Errors.AccountExists, username);
    return { username, role, failedCount: 0, lockedUntil: null, createdAt, lastLoginAt: null };
  }

  async find(name: string): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(name)).executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  async list(): Promise<UserInfo[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map((r) => {
      const { passwordHash: _hidden, ...info } = toRow(r);
      return info;
    });
  }

  async remove(name: string): Promise<void> {
    const res = await this.db.deleteFrom('users').where('username', '=', normaliseUsername(name)).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) fail(Errors.AccountNotFound, normaliseUsername(name));
  }

  async unlock(name: string): Promise<void> {
    const res = await this.db.updateTable('users').set({ failed_count: 0, locked_until: null }).where('username', '=', normaliseUsername(name)).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) fail(Errors.AccountNotFound, normaliseUsername(name));
  }

  /** Whether the account is locked at this moment. */
  isLocked(user: UserRow): boolean {
    return user.lockedUntil !== null && Date.parse(user.lockedUntil) > this.now();
  }

  /** One failed login: counted in one statement (concurrent failures all count); the fifth in a row
   * locks the account for LOCK_MS and starts the count again. */
  async recordFailure(username: string): Promise<void> {
    const lockedUntil = new Date(this.now() + LOCK_MS).toISOString();
    await this.db.updateTable('users')
      .set({
        failed_count: sql<number>`case when failed_count + 1 >= ${LOCK_AFTER_FAILURES} then 0 else failed_count + 1 end`,
        locked_until: sql<string | null>`case when failed_count + 1 >= ${LOCK_AFTER_FAILURES} then ${lockedUntil} else locked_until end`,
      })
      .where('username', '=', username)
      .execute();
  }

  async recordSuccess(username: string): Promise<void> {
    await this.db.updateTable('users').set({ failed_count: 0, locked_until: null, last_login_at: new Date(this.now()).toISOString() })
      .where('username', '=', username).execute();
  }
}
