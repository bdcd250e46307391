/**
 * DeepDataProfiler-style SVD-neuron profiles (SCIENCE.md §3; Praggastis et al., arXiv 2208.06894):
 * weights → singular directions (`svdNeurons`), activations → per-direction aggregates (`projectAggregate`),
 * aggregates → influential directions (`influentialDirections`), inputs → class profiles and their
 * (weighted) Jaccard similarity, class profiles → a direction hypergraph (our construction).
 */
export type { SvdNeurons } from './svdNeurons';
export { svdNeurons, unfoldConvKernel } from './svdNeurons';
export type { AggregationMode } from './projection';
export { projectAggregate, projectAggregateBatch } from './projection';
export type { Influence } from './influence';
export { influentialDirections } from './influence';
export type { ClassProfile } from './classProfiles';
export { classOverlap, classProfiles, inputProfiles, jaccard, jaccardMatrix, weightedJaccard } from './classProfiles';
export type { ClassHyperedge, DirectionHypergraph, DualHypergraph } from './hypergraph';
export { directionHypergraph, dualHypergraph, topInputs } from './hypergraph';
