/**
 * In-process CLI tests read what a command printed: console.log lines in `out`,
 * console.error lines (and, if asked, raw stderr writes) in `err`, fresh for each test.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export interface Captured {
  readonly out: string[];
  readonly err: string[];
}

export function captureConsole(options: { stderrWrites?: boolean } = {}): Captured {
  const captured: { out: string[]; err: string[] } = { out: [], err: [] };
  beforeEach(() => {
    captured.out.length = 0;
    captured.err.length = 0;
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void captured.out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void captured.err.push(a.join(' ')));
    if (options.stderrWrites) {
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (captured.err.push(String(chunk)), true));
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
