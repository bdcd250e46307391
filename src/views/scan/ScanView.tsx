import { OverviewView } from '../overview/OverviewView';
import { LayerTable } from './LayerTable';
import { StripView } from './StripView';

/**
 * The whole-model page: the scan strip (every analysed layer coloured by the scan metric), the same metric against
 * depth, and the table of every layer and metric. One scan metric (the store's) drives the strip and the chart;
 * hover is linked across all three through the store; a click or Enter opens the layer's page.
 */
export function ScanView() {
  return (
    <section className="scan-view" aria-label="Whole-model scan">
      <StripView />
      <OverviewView />
      <LayerTable />
    </section>
  );
}
