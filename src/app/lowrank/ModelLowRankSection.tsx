import { useMemo } from 'react';
import { selectModelInfo } from '../../state/selectors';
import { useAppStore } from '../../views/shared/storeContext';
import { ModelLowRankView } from '../../views/lowrank/ModelLowRankView';
import { LowRankExport, wholeModelPlan } from './LowRankExport';

/** The scan page's whole-model low-rank what-if, with the truncated model as a download. */
export function ModelLowRankSection() {
  const info = useAppStore(selectModelInfo);
  const choices = useMemo(
    () =>
      info
        ? [
            { label: 'every layer at its 90 % energy rank', plan: wholeModelPlan(info.tensors, 0.9) },
            { label: 'every layer at its 99 % energy rank', plan: wholeModelPlan(info.tensors, 0.99) },
          ]
        : [],
    [info],
  );
  if (!info) return null;
  return <ModelLowRankView actions={choices[0]?.plan.length ? <LowRankExport choices={choices} testId="model-lowrank-export" /> : null} />;
}
