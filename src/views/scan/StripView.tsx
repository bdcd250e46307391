import { useCallback, useMemo, useRef } from 'react';
import type { CSSProperties } from 'react';
import { notAnalysedReason } from '../../model/analysable';
import { selectModelInfo, selectResults, selectScanMetric, selectSelectedTensorName } from '../../state/selectors';
import { formatNumber } from '../shared/chart';
import type { ColorLegend, LegendBand } from '../shared/colorScales';
import { metricColor, valueDomain } from '../shared/colorScales';
import { openFromScan, useHoverChannel } from '../shared/linkedHover';
import { metricValue, scanMetricSpec } from '../shared/metricCatalog';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { ScanMetricSelect } from './ScanMetricSelect';
import type { StripCell, StripChart, StripChartData } from './stripChart';
import { stripChart } from './stripChart';

/** CSS backgrounds that repeat the strip's patterns in the legend swatches. */
const PATTERNS: Record<LegendBand['pattern'] | 'missing', string> = {
  stripes: 'repeating-linear-gradient(-45deg, rgb(255 255 255 / 70%) 0 1.3px, transparent 1.3px 4.2px)',
  dots: 'radial-gradient(circle, rgb(0 0 0 / 55%) 1.3px, transparent 1.6px) 0 0 / 6px 6px',
  none: '',
  missing: 'repeating-linear-gradient(-45deg, rgb(0 0 0 / 35%) 0 1px, transparent 1px 4.2px)',
};

function swatchStyle(colors: readonly string[], pattern: keyof typeof PATTERNS): CSSProperties {
  const fill = colors.length > 1 && colors[0] !== colors[colors.length - 1] ? `linear-gradient(to right, ${colors.join(', ')})` : (colors[0] ?? 'transparent');
  return { background: [PATTERNS[pattern], fill].filter(Boolean).join(', ') };
}

/** The strip's legend: WeightWatcher's α bands with their patterns, or the sequential ramp with its range. */
function StripLegend({ legend }: { legend: ColorLegend }) {
  return (
    <div className="strip-legend" aria-label={`Legend: ${legend.description}`} role="group">
      {legend.kind === 'bands' ? (
        legend.bands.map((b) => (
          <span key={b.key} className={`legend-item band-${b.key}`}>
            <span className="legend-swatch" style={swatchStyle(b.colors, b.pattern)} aria-hidden="true" />
            {b.label}
          </span>
        ))
      ) : (
        <span className="legend-item">
          <span className="legend-end">{formatNumber(legend.domain[0])}</span>
          <span className="legend-ramp" style={swatchStyle(legend.ramp, 'none')} aria-hidden="true" />
          <span className="legend-end">{formatNumber(legend.domain[1])}</span>
          {legend.log ? <span className="legend-note">log scale</span> : null}
        </span>
      )}
      <span className="legend-item">
        <span className="legend-swatch" style={swatchStyle([legend.missing.color], 'missing')} aria-hidden="true" />
        {legend.missing.label}
      </span>
    </div>
  );
}

/**
 * The scan strip: every analysed layer in depth order, one cell each, coloured by the store's scan metric, with
 * the metric selector and the legend. Hover and selection are linked with the other views through the store;
 * a click opens the layer.
 */
export function StripView() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const metric = scanMetricSpec(useAppStore(selectScanMetric));
  const store = useAppStoreApi();
  const cells = useMemo<StripCell[]>(() => {
    if (!info) return [];
    return info.tensors.flatMap((t) => {
      const r = results[t.name];
      if (notAnalysedReason(t) !== null || r?.status !== 'ok') return [];
      return [{ name: t.name, value: metricValue(r.report.columns, metric.column) }];
    });
  }, [info, results, metric]);
  const scale = useMemo(() => metricColor(metric.column, valueDomain(cells.map((c) => c.value))), [metric, cells]);
  const data = useMemo<StripChartData>(
    () => ({
      cells,
      label: metric.label,
      scale,
      selected,
      onSelect: (name) => openFromScan(store, name),
      onHover: (name) => store.getState().setHover(name),
    }),
    [cells, metric, scale, selected, store],
  );
  const chart = useRef<StripChart | null>(null);
  const factory = useCallback((root: HTMLElement) => (chart.current = stripChart(root)), []);
  const host = useChart(factory, data);
  useHoverChannel((name) => chart.current?.highlight(name));
  return (
    <figure className="plot strip" aria-label="Every analysed layer, coloured by a metric">
      <figcaption>
        <span title={metric.definition}>
          Scan: {metric.label} of every analysed layer
        </span>
        <ScanMetricSelect label="Scan metric" testId="scan-metric" />
      </figcaption>
      <p className="metric-explanation strip-explanation">{metric.explanation}</p>
      <div ref={host} className="view view-strip" data-ready={cells.length > 0 ? 'true' : 'false'} data-metric={metric.column} />
      <StripLegend legend={scale.legend} />
    </figure>
  );
}
