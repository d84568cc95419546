// Module customization hooks (Node's `module.register`) that append the URL of every module the
// process loads to a file, one per line: a test reads which modules a command evaluated.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  // Written before the module is evaluated, so a process that exits right after still leaves it.
  if (url.startsWith('file:')) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
