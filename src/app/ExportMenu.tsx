import { layerRecord, toCsv } from '../../workers/layerRecords';
import { netronAttachmentText } from '../../workers/netronAttachment';
import { selectModelInfo, selectResults, selectSettings } from '../state/selectors';
import { useAppStore } from '../views/shared/storeContext';
import { download, stem } from './download';

/** Export every analysed layer's metrics, with WeightWatcher's column names (the same files as the CLI writes). */
export function ExportMenu() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const settings = useAppStore(selectSettings);
  if (!info) return null;
  const records = () => info.tensors.flatMap((t) => (results[t.name] ? [layerRecord(t, results[t.name]!)] : []));
  const count = Object.keys(results).length;
  return (
    <div className="export-menu" role="group" aria-label="Export the metrics">
      <span className="label">metrics</span>
      <button type="button" className="button small" disabled={count === 0} data-testid="export-csv" onClick={() => download(`${stem(info.name)}-metrics.csv`, toCsv(records()), 'text/csv')}>
        CSV
      </button>
      <button
        type="button"
        className="button small"
        disabled={count === 0}
        data-testid="export-json"
        onClick={() =>
          download(
            `${stem(info.name)}-metrics.json`,
            JSON.stringify({ model: { name: info.name, format: info.format, files: info.files }, settings, layers: records() }, null, 1),
            'application/json',
          )
        }
      >
        JSON
      </button>
      <button
        type="button"
        className="button small"
        disabled={count === 0}
        data-testid="export-netron"
        title="Per-layer metrics as a Netron attachment: open the model in Netron, then open this .json file to see the metrics on its nodes and weights"
        onClick={() => download(`${stem(info.name)}-netron.json`, netronAttachmentText(info, records(), settings), 'application/json')}
      >
        Netron
      </button>
    </div>
  );
}
