// What of an unexpected error the node's log may keep. Messages are dropped: a bug's or a library's
// message can quote the input it choked on (a path, a body, a national code), and the log must never
// carry a citizen's data. The error's class, its code and its stack frames say where it broke.
import { isTabadolError } from '../errors/catalogue.ts';

export interface LoggedCause { type: string; code?: string; frames?: string[]; message?: string }

export function causeForLog(e: unknown): LoggedCause | undefined {
  if (e === undefined || e === null) return undefined;
  if (isTabadolError(e)) return { type: e.type, message: e.message }; // coded messages name no citizen
  if (!(e instanceof Error)) return { type: typeof e };
  const code = (e as { code?: unknown }).code;
  const frames = e.stack?.split('\n').filter((l) => l.startsWith('    at ')).map((l) => l.trim());
  return { type: e.name, ...(typeof code === 'string' ? { code } : {}), ...(frames ? { frames } : {}) };
}
