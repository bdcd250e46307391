/**
 * Several checkpoints as one study, differences between two models, LoRA adapters and the low-rank what-if
 * (issue 9). Pure functions on names, shapes and typed arrays; the definitions are in each file's header.
 */
export type { OrderedCheckpoint } from './checkpointOrder';
export { orderCheckpoints, stepFromName } from './checkpointOrder';
export type { LayerMatch, LayerMismatch, NamedShape } from './matchLayers';
export { matchLayers } from './matchLayers';
export type { SubspaceAlignment, SubspaceAlignmentOptions } from './delta';
export { UNRESOLVED_SIGMA, deltaMatrix, principalAngles, relativeChange, subspaceAlignment } from './delta';
export type { LoraPair, LoraScan, LoraUnmatched } from './lora';
export { findLoraPairs, loraScale, loraSingularValues } from './lora';
export { householderR } from './householderR';
export type { ConvSpatial, FactorisationCost, FactorisationInput, ModelTotals, ModelTotalsOptions } from './lowRank';
export { factorisationCost, modelTotals, rankForEnergy } from './lowRank';
export type { LowRankFactors, TruncateOptions } from './truncate';
export { lowRankFactors, multiplyFactors, truncateMatrix } from './truncate';
export type { CheckpointGroup } from './checkpointFiles';
export { groupCheckpointFiles, isModelFile } from './checkpointFiles';
export type { TrainingCurve, TrainingLog } from './trainingLog';
export { parseTrainingLog } from './trainingLog';
