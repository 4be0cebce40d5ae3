/**
 * The service computes a restarted node's Buddy with the protocol's own H-BUDDY
 * function, reached through the node adapter so that src/ has one door into the runtime.
 */
export { buddyOf } from '../node/core.ts';
