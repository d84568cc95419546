// Whether a file exists, for the "create it on first start" steps of keys, CA and certificates.
import { access } from 'node:fs/promises';

export function fileExists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
