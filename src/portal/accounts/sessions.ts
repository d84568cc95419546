// The dashboard's sessions, held in this process's memory: the portal runs in one process (a
// cluster's primary or the single node), so one map is every session there is; a restart logs
// everyone out, which is the safe direction. A session id is 32 random bytes (256 bits, OWASP
// Session Management: at least 64 bits of entropy), sent only in an HttpOnly cookie and never
// logged; the map is keyed by its SHA-256, so even a heap dump does not hand out live cookies. Each
// session has its own CSRF token (32 random bytes), an idle limit (30 minutes) and an absolute one
// (12 hours after login), whichever comes first.
import { createHash, randomBytes } from 'node:crypto';
import type { DashboardUser } from '../dashboard/context.ts';

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3600_000;
/** How often a session's user is read again from the store (removed, role changed). */
export const RECHECK_MS = 60_000;
/** At most this many sessions at once; past it the least recently used goes first. */
export const MAX_SESSIONS = 10_000;

export interface Session {
  user: DashboardUser;
  csrf: string;
  createdAt: number;
  lastSeen: number;
  checkedAt: number;
}

const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');

export class Sessions {
  /** Insertion order is use order: a session seen is moved to the end. */
  private readonly byKey = new Map<string, Session>();

  constructor(private readonly now: () => number) {}

  /** A new session (login): its id goes to the cookie, and nowhere else. */
  create(user: DashboardUser): { id: string; session: Session } {
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const session: Session = { user, csrf: randomBytes(32).toString('base64url'), createdAt: t, lastSeen: t, checkedAt: t };
    while (this.byKey.size >= MAX_SESSIONS) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of this id, its idle time restarted; undefined (and forgotten) once expired. */
  touch(id: string): Session | undefined {
    const key = keyOf(id);
    const s = this.byKey.get(key);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen >= IDLE_MS || t - s.createdAt >= ABSOLUTE_MS) {
      this.byKey.delete(key);
      return undefined;
    }
    s.lastSeen = t;
    this.byKey.delete(key);
    this.byKey.set(key, s);
    return s;
  }

  destroy(id: string): void {
    this.byKey.delete(keyOf(id));
  }

  /** Ends every session of a user (removed, or its role changed). */
  destroyUser(username: string): void {
    for (const [k, s] of this.byKey) if (s.user.username === username) this.byKey.delete(k);
  }

  /** Forgets expired sessions; run on a timer so that abandoned ones do not stay in memory. */
  sweep(): void {
    const t = this.now();
    for (const [k, s] of this.byKey) if (t - s.lastSeen >= IDLE_MS || t - s.createdAt >= ABSOLUTE_MS) this.byKey.delete(k);
  }

  get size(): number { return this.byKey.size; }
}
