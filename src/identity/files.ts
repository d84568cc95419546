// PEM files on disk. Keys must never be readable by others, not even for an instant.
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;

/** Writes a new file; fails with EEXIST rather than replace one (used for the CA). */
export async function writeNew(path: string, data: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    // The umask may have narrowed the mode; chmod makes it exactly what was asked.
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}

/** Replaces a file atomically, so a node reloading it never reads half a PEM or a key with a loose mode. */
export async function writeReplacing(path: string, data: string, mode: number): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeNew(temp, data, mode);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}
