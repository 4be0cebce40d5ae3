/** Text rendering of replay steps and outcomes for people at a terminal. */
import type { Change } from './diff.ts';
import { whyNotReproduced, type ReplayOutcome } from './replay.ts';

const MAX_VALUE_CHARS = 160;

export function renderValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}

export function renderChange(change: Change): string {
  switch (change.kind) {
    case 'changed':
      return `${change.path}: ${renderValue(change.before)} -> ${renderValue(change.after)}`;
    case 'added':
      return `${change.path} + ${renderValue(change.after)}`;
    case 'removed':
      return `${change.path} - ${renderValue(change.before)}`;
    default: {
      const unreachable: never = change;
      return String(unreachable);
    }
  }
}

export function renderStep(number: number, description: string, changes: readonly Change[]): string {
  const lines = [`step ${number}: ${description}`];
  for (const c of changes) lines.push(`    ${renderChange(c)}`);
  return lines.join('\n');
}

export function renderOutcome(outcome: ReplayOutcome): string {
  const why = whyNotReproduced(outcome);
  if (why === null && outcome.kind === 'reproduced') {
    return `violated: ${outcome.property}: ${outcome.message}\nreproduced as recorded (${outcome.steps} steps)`;
  }
  return `no longer reproduces: ${why}`;
}
