/**
 * A 1:1 port of the Hermes TLA+ spec (ease-lab/Hermes, tla/Hermes.tla at commit 949229c,
 * the revision that resets every node's nodeRcvedAcks in nodeFailure; bench/tla/Hermes.tla
 * is that text): same variables, same actions and guards, messages kept forever, HTypeOK
 * and HConsistent. Its state counts equal TLC's on that file. The pieces are
 * assembled into a checker Model in model/hermes-tla.ts (src/ must not know checker/).
 */
export { HermesLayout, type HermesTlaConfig } from './layout.ts';
export {
  initialState,
  enabledActions,
  applyAction,
  type HermesAction,
} from './actions.ts';
export { typeOkViolation, consistencyViolation } from './invariants.ts';
export { displayState, describeAction, actionKey } from './display.ts';
