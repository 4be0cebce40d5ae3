/**
 * The recoveries, registered once, in the order `heal check` runs them; the names are the
 * `--recovery` values and the config schema's enum.
 */
import { fullcopy } from './fullcopy.ts';
import { heal } from './heal.ts';
import type { RecoveryModel } from './model.ts';

const MODELS = [heal, fullcopy] as const;

export type Recovery = (typeof MODELS)[number]['name'];

export const RECOVERY: Readonly<Record<Recovery, RecoveryModel>> = Object.fromEntries(
  MODELS.map((m) => [m.name, m]),
) as Record<Recovery, RecoveryModel>;

export const RECOVERIES = MODELS.map((m) => m.name) as unknown as readonly [Recovery, ...Recovery[]];

export type { RecoveryModel } from './model.ts';
