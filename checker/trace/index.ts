export { canonicalJson, configHash } from './canonical-json.ts';
export { TRACE_FORMAT_VERSION, TraceSchema, type Trace, type FoundBy } from './schema.ts';
export { TraceFileError, saveTrace, loadTrace, parseTrace, formatTrace, traceFileName, toolVersion } from './io.ts';
export { diffDisplays, type Change } from './diff.ts';
export { propertyViolation, findProperty } from './property.ts';
export {
  Replayer,
  replay,
  checkConformance,
  whyNotReproduced,
  type ReplayOutcome,
  type ReplayInput,
  type StepResult,
  type ConformanceResult,
  type Violation,
} from './replay.ts';
export { shrink, stutterSteps, violatingPrefix, type ShrinkResult } from './shrink.ts';
export { renderStep, renderChange, renderOutcome, renderValue, renderFinalState, compactValue } from './render.ts';
export { pathPattern, visibleDisplay } from './display-layout.ts';
export { saveCounterexample, type SavedCounterexample, type TraceOrigin } from './counterexample.ts';
