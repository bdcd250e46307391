import * as d3 from 'd3';

/** One legend entry: a line and a dot styled by `cls`, and its label (`short` when the row would not fit). */
export interface LegendEntry {
  readonly cls: string;
  readonly label: string;
  readonly short?: string;
}

/** A label's width in px: measured in a browser, estimated elsewhere (jsdom has no layout). */
function textWidth(node: SVGTextElement | null, text: string): number {
  const measured = node && typeof node.getComputedTextLength === 'function' ? node.getComputedTextLength() : 0;
  return measured > 0 ? measured : text.length * 6.4;
}

/**
 * Lay the entries out in one row in `group` (a line segment, a dot, the label), left to right. While the row is
 * wider than `widthPx`, entries switch to their short labels, the last one first.
 */
export function drawLegendRow(group: d3.Selection<SVGGElement, unknown, null, undefined>, entries: readonly LegendEntry[], widthPx: number): void {
  /** Lay out with short labels from entry `from` on; returns the row's width. */
  const layout = (from: number): number => {
    let lx = 0;
    group
      .selectAll<SVGGElement, LegendEntry>('g')
      .data(entries)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 24);
        g.append('circle').attr('cx', 12).attr('r', 3.2);
        g.append('text').attr('x', 30).attr('dy', '0.32em');
        return g;
      })
      .attr('class', (e) => e.cls)
      .each(function (e, i) {
        const g = d3.select(this);
        const label = i >= from ? (e.short ?? e.label) : e.label;
        const text = g.select<SVGTextElement>('text').text(label);
        g.attr('transform', `translate(${lx},0)`);
        lx += 30 + textWidth(text.node(), label) + 20;
      });
    return lx - 20;
  };
  for (let from = entries.length; from >= 0; from--) if (layout(from) <= widthPx) return;
}
