import { useChart } from '../shared/useChart';
import { jaccardChart } from './jaccardChart';
import type { JaccardData } from './jaccardData';
import { jaccardHeight } from './jaccardData';

export interface JaccardMatrixProps {
  /** `jaccardData(jaccardMatrix(profiles, weighted), labels, weighted, classIndex)`. */
  readonly data: JaccardData;
}

/** The class × class (weighted) Jaccard matrix (see `jaccardChart`); `data.weighted` says which. */
export function JaccardMatrix({ data }: JaccardMatrixProps) {
  const host = useChart(jaccardChart, data);
  return (
    <div
      ref={host}
      className="view view-jaccard"
      style={{ height: jaccardHeight(data.labels) }}
      data-ready={data.labels.length > 0 ? 'true' : 'false'}
      data-weighted={data.weighted ? 'true' : 'false'}
    />
  );
}
