/**
 * The recoveries, registered once, in the order `heal check` runs them; the names are the
 * `--recovery` values and the config schema's enum.
 */
import { fullcopy } from './fullcopy.ts';
import { heal } from './heal.ts';
import type { RecoveryModel } from './model.ts';
import { registry } from '../registry.ts';

const MODELS = registry([heal, fullcopy]);

export type Recovery = (typeof MODELS.names)[number];

export const RECOVERY: Readonly<Record<Recovery, RecoveryModel>> = MODELS.byName;

export const RECOVERIES = MODELS.names;

export type { RecoveryModel } from './model.ts';
