/**
 * Write an output file under a temporary name and rename it into place, so a reader (or
 * a run killed mid-write) never leaves half a file; the temporary is removed on failure.
 * `flag` names the option in the one error a user sees.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { InputError } from './errors.ts';

export function writeAtomic(flag: string, path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new InputError(`${flag}: cannot write ${path} (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
}
