/**
 * Output files are written under a temporary name and renamed into place, so a reader (or
 * a run killed mid-write) never sees half a file; the temporary is removed on failure.
 * `flag` names the option in the one error a user sees.
 */
import { closeSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors.ts';

export function writeAtomic(flag: string, path: string, content: string, temp = `${path}.${process.pid}.tmp`): void {
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new InputError(`${flag}: cannot write ${path} (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
}

/**
 * An output file checked before the work that produces it, so a long run is not
 * lost to a typo or a read-only folder: never the input itself (by path or by
 * inode), never a folder, and its temporary file beside it created at once; commit
 * writes it there and renames it over the target (writeAtomic).
 */
export interface ReservedOutput {
  readonly path: string;
  commit(content: string): void;
  discard(): void;
}

/** `flag` names the option in messages; `input` is the input file ('-' for stdin). */
export function reserveOutput(flag: string, path: string, input: string): ReservedOutput {
  const same = (a: string, b: string): boolean => {
    if (resolve(a) === resolve(b)) return true;
    try {
      const sa = statSync(a);
      const sb = statSync(b);
      return sa.dev === sb.dev && sa.ino === sb.ino;
    } catch {
      return false;
    }
  };
  if (input !== '-' && same(path, input)) throw new InputError(`${flag} ${path}: that is the input history; refusing to overwrite it`);
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${flag} ${path}: is a folder (expected a file name)`);
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    closeSync(openSync(tmp, 'wx'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : code === 'EACCES' || code === 'EROFS' ? `no permission to write in ${dirname(path)}` : (e as Error).message;
    throw new InputError(`${flag} ${path}: cannot write there: ${why}`);
  }
  let open = true;
  return {
    path,
    commit(content) {
      open = false;
      writeAtomic(flag, path, content, tmp);
    },
    discard() {
      if (open) rmSync(tmp, { force: true });
      open = false;
    },
  };
}
