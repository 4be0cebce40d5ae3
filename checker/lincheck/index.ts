/** The linearizability checker's public API. */
export { checkEvents, checkOperations, type CheckOptions, type CheckEventsOptions, type CheckResult, type Verdict } from './check.ts';
export { buildOperations, type Operation, type BuildOptions } from './operation.ts';
export { LinearizationSearch, searchLinearization, type SearchResult } from './search.ts';
export { partitionByKey, type Partition } from './partition.ts';
export { explainFailure, formatExplanation, describeOperation, type Explanation } from './explain.ts';
export { renderHtml } from './html.ts';
export { UNKNOWN, ILLEGAL, type SeqModel, type OpSpec, type Output } from '../../spec/models/types.ts';
export { defaultSemantics, SEMANTICS, type Semantics } from './semantics.ts';
