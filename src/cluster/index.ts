/** The cluster model as plain functions; model/heal.ts assembles the checker's Model from them. */
export { actions, drainActions, type ClusterAction } from './actions.ts';
export { actionKey, describeAction, describeMsg } from './describe.ts';
export { decode, encode } from './encode.ts';
export { historyOf } from './history.ts';
export { next } from './next.ts';
export { probeRead } from './observers.ts';
export { isQuiescent, stutterCapable } from './quiescent.ts';
export { initialState, processOf, type ClusterConfig, type ClusterState } from './state.ts';
export { displayOf, DISPLAY_LAYOUT } from './display.ts';
