import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle } from '../shared/chart';
import type { BipartiteGraph, PlacedLink, PlacedNode } from './bipartite';
import { bipartiteLayout } from './bipartite';
import { classStyle, classSymbolPath } from './classStyle';
import { LEGEND_ROW_PX, legendLayout } from './legendLayout';
import { directionName, labelWidthPx, percent, truncateLabel } from './profileFormat';

export interface HypergraphChartData {
  readonly graph: BipartiteGraph;
  /** σ of the layer, descending (for the hover text); may be empty. */
  readonly sigma: ArrayLike<number>;
  /** The selected direction (0-based index), ringed; null for none. */
  readonly selectedDirection: number | null;
  /** Called with a direction (0-based index) when its node is clicked. */
  readonly onSelectDirection: (direction: number) => void;
}

const M = { top: 40, bottom: 64, side: 8 };

/**
 * The singular-direction hypergraph as a bipartite drawing (see `bipartite.ts`; our construction). Direction nodes:
 * grey squares (the theme's muted grey, as the heatmap's bars) = shared by all classes, the class's colour and symbol = unique to that class, hollow circles = used
 * by some. Hovering a class lights its hyperedge (its links and directions); hovering a direction lights the
 * classes that use it; clicking a direction selects it.
 */
export function hypergraphChart(root: HTMLElement): Chart<HypergraphChartData> {
  const state: ChartState<HypergraphChartData> = { data: null, width: 600, height: 400 };
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-hypergraph').attr('role', 'img');
  const caption = svg.append('text').attr('class', 'tooltip-text hypergraph-caption').attr('x', M.side).attr('y', 14);
  const headers = svg.append('g').attr('class', 'hypergraph-headers');
  const linksG = svg.append('g').attr('class', 'hypergraph-links');
  const nodesG = svg.append('g').attr('class', 'hypergraph-nodes');
  const note = svg.append('text').attr('class', 'caption hypergraph-more');
  const legendG = svg.append('g').attr('class', 'legend hypergraph-legend');

  let hovered: string | null = null;
  let placed: { nodes: readonly PlacedNode[]; links: readonly PlacedLink[] } = { nodes: [], links: [] };
  /** Lookups of the last render: node by id, a class's style index, a direction's kind. */
  let byId = new Map<string, PlacedNode>();
  let classIndex = new Map<string, number>();
  let kindOf = new Map<number, PlacedNode['kind']>();

  const idOf = (event: Event) => (event.target instanceof Element ? (event.target.closest('[data-node]')?.getAttribute('data-node') ?? null) : null);
  nodesG
    .on('pointerover', (event: PointerEvent) => {
      hovered = idOf(event);
      mark();
    })
    .on('pointerleave', () => {
      hovered = null;
      mark();
    })
    .on('click', (event: MouseEvent) => {
      const id = idOf(event);
      const node = id === null ? undefined : byId.get(id);
      if (node?.direction != null) state.data?.onSelectDirection(node.direction);
    });

  function sigmaOf(k: number): number | null {
    const s = state.data?.sigma;
    return s && k < s.length ? (s[k] as number) : null;
  }

  function describe(node: PlacedNode): string {
    const links = placed.links.filter((l) => l.left === node.id || l.right === node.id);
    if (node.role === 'class') {
      const top = [...links].sort((a, b) => b.share - a.share).slice(0, 3);
      const main = top.map((l) => `${l.direction + 1} (${percent(l.share)})`).join(', ');
      return `${node.label}: ${links.length} direction${links.length === 1 ? '' : 's'}${main ? `; largest shares: ${main}` : ''}`;
    }
    const k = node.direction ?? 0;
    const name = directionName(k + 1, sigmaOf(k));
    if (node.kind === 'shared') return `${name}: shared by all classes`;
    const first = links[0];
    if (node.kind === 'unique' && first) return `${name}: unique to ${first.classLabel} (${percent(first.share)} of its influence)`;
    return `${name}: used by ${links.length} classes, ${links.map((l) => `${l.classLabel} ${percent(l.share)}`).join(', ')}`;
  }

  /** Light the hovered node's hyperedge (class) or its classes (direction); dim the rest. */
  function mark(): void {
    const node = hovered === null ? undefined : byId.get(hovered);
    svg.classed('hovering', node !== undefined);
    const lit = new Set<string>();
    if (node) {
      lit.add(node.id);
      for (const l of placed.links) if (l.left === node.id || l.right === node.id) lit.add(l.left).add(l.right);
    }
    const touches = (l: PlacedLink) => node !== undefined && (l.left === node.id || l.right === node.id);
    linksG
      .selectAll<SVGPathElement, PlacedLink>('path')
      .classed('lit', touches)
      .style('stroke', (l) => linkColor(l, touches(l)));
    nodesG.selectAll<SVGGElement, PlacedNode>('g.hg-node').classed('lit', (n) => lit.has(n.id));
    const d = state.data;
    const selected = d?.selectedDirection != null ? placed.nodes.find((n) => n.direction === d.selectedDirection) : undefined;
    caption.text(node ? describe(node) : selected ? describe(selected) : d && placed.nodes.length > 0 ? 'Hover a class or a direction to trace it; click a direction to select it.' : '');
  }

  /** A link's colour: its class's when lit or when its direction is unique to the class; else null (CSS decides). */
  function linkColor(l: PlacedLink, lit: boolean): string | null {
    const cls = classIndex.get(l.classLabel);
    if (cls === undefined) return null;
    return lit || kindOf.get(l.direction) === 'unique' ? classStyle(cls).color : null;
  }

  function drawNode(g: d3.Selection<SVGGElement, unknown, null, undefined>, n: PlacedNode): void {
    g.selectAll('*').remove();
    // Symbols of about the node's disc area, so neighbours never touch (the layout keeps 2r < the spacing).
    const area = Math.PI * n.r * n.r * 0.85;
    if (n.role === 'class' && n.classIndex !== null) {
      g.append('path').attr('class', 'hg-mark').attr('d', classSymbolPath(n.classIndex, area)).attr('fill', classStyle(n.classIndex).color);
    } else if (n.kind === 'shared') {
      const s = n.r * 1.6;
      g.append('rect').attr('class', 'hg-mark hg-shared-mark').attr('x', -s / 2).attr('y', -s / 2).attr('width', s).attr('height', s);
    } else if (n.kind === 'unique' && n.classIndex !== null) {
      g.append('path').attr('class', 'hg-mark').attr('d', classSymbolPath(n.classIndex, area)).attr('fill', classStyle(n.classIndex).color);
    } else {
      g.append('circle').attr('class', 'hg-mark hg-hollow').attr('r', n.r * 0.85);
    }
    // A larger transparent hit area: small nodes stay easy to hover and click.
    g.append('circle').attr('class', 'hg-hit').attr('r', Math.max(n.r + 3, 7)).attr('fill', 'transparent');
    const text = n.role === 'class' ? truncateLabel(n.label) : n.label;
    g.append('text')
      .attr('class', 'hg-label')
      .attr('x', n.side === 'left' ? -(n.r + 5) : n.r + 5)
      .attr('dy', '0.32em')
      .attr('text-anchor', n.side === 'left' ? 'end' : 'start')
      .attr('visibility', n.showLabel ? null : 'hidden')
      .text(text);
    g.append('title').text(n.role === 'class' ? n.label : `direction ${n.label}`);
  }

  /** The legend's entries and where they go in `maxWidth` px (rows wrap on narrow charts). */
  function legend(maxWidth: number) {
    type Entry = { key: string; label: string; draw: (g: d3.Selection<SVGGElement, unknown, null, undefined>) => void };
    const entries: Entry[] = [
      { key: 'shared', label: 'shared by all classes', draw: (g) => g.append('rect').attr('class', 'hg-mark hg-shared-mark').attr('x', -5).attr('y', -5).attr('width', 10).attr('height', 10) },
      { key: 'unique', label: 'unique to one class (its colour and shape)', draw: (g) => g.append('path').attr('class', 'hg-mark').attr('d', classSymbolPath(2, 80)).attr('fill', classStyle(2).color) },
      { key: 'other', label: 'used by some', draw: (g) => g.append('circle').attr('class', 'hg-mark hg-hollow').attr('r', 4.5) },
      { key: 'width', label: "link width ∝ the class's share", draw: (g) => g.append('line').attr('class', 'hg-link-sample').attr('x1', -8).attr('x2', 8) },
    ];
    const at = legendLayout(
      entries.map((e) => ({ swatch: 12, label: e.label })),
      Math.max(120, maxWidth),
    );
    return { entries, at, rows: 1 + Math.max(0, ...at.map((p) => p.row)) };
  }

  function drawLegend({ entries, at }: ReturnType<typeof legend>, top: number): void {
    legendG.selectAll('*').remove();
    legendG.attr('transform', `translate(${M.side + 8},${top})`);
    entries.forEach((e, i) => {
      const p = at[i] ?? { x: 0, row: 0 };
      const g = legendG.append('g').attr('class', `legend-item legend-${e.key}`).attr('transform', `translate(${p.x},${p.row * LEGEND_ROW_PX})`);
      e.draw(g);
      g.append('text').attr('x', 12).attr('dy', '0.32em').text(e.label);
    });
  }

  function render(): void {
    const { width, height } = state;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const d = state.data;
    if (!d) {
      svg.attr('aria-label', 'No hypergraph yet');
      return;
    }
    const { graph } = d;
    const legendPlan = legend(width - 2 * M.side - 8);
    const labelOf = (n: { role: string; label: string }) => (n.role === 'class' ? truncateLabel(n.label) : n.label);
    const layout = bipartiteLayout(
      graph,
      { width, height },
      {
        top: M.top,
        bottom: M.bottom + (legendPlan.rows - 1) * LEGEND_ROW_PX,
        leftLabel: M.side + labelWidthPx(graph.left.map(labelOf)),
        rightLabel: M.side + labelWidthPx(graph.right.map(labelOf)),
      },
    );
    placed = layout;
    byId = new Map(layout.nodes.map((n) => [n.id, n]));
    classIndex = new Map(layout.nodes.flatMap((n) => (n.role === 'class' && n.classIndex !== null ? [[n.label, n.classIndex] as const] : [])));
    kindOf = new Map(layout.nodes.flatMap((n) => (n.direction !== null ? [[n.direction, n.kind] as const] : [])));
    const primal = graph.mode === 'primal';
    const heads = [
      { x: M.side, anchor: 'start', text: primal ? '← classes (hyperedges)' : '← directions k (hyperedges)' },
      { x: width - M.side, anchor: 'end', text: primal ? 'directions k (vertices) →' : 'classes (vertices) →' },
    ];
    headers
      .selectAll('text')
      .data(heads)
      .join('text')
      .attr('class', 'axis-label')
      .attr('x', (h) => h.x)
      .attr('y', M.top - 12)
      .attr('text-anchor', (h) => h.anchor)
      .text((h) => h.text);
    const link = d3
      .linkHorizontal<PlacedLink, [number, number]>()
      .source((l) => [l.x0, l.y0])
      .target((l) => [l.x1, l.y1]);
    linksG
      .selectAll<SVGPathElement, PlacedLink>('path')
      .data(layout.links, (l) => `${l.left}>${l.right}`)
      .join('path')
      .attr('class', (l) => `hg-link${kindOf.get(l.direction) === 'unique' ? ' hg-link-unique' : ''}`)
      .attr('d', (l) => link(l) ?? '')
      .style('stroke-width', (l) => `${l.width}px`)
      .style('stroke', (l) => linkColor(l, false));
    nodesG
      .selectAll<SVGGElement, PlacedNode>('g.hg-node')
      .data(layout.nodes, (n) => n.id)
      .join('g')
      .attr('class', (n) => `hg-node hg-${n.role}${n.kind ? ` hg-${n.kind}` : ''}${n.direction !== null && n.direction === d.selectedDirection ? ' selected' : ''}`)
      .attr('data-node', (n) => n.id)
      .attr('data-direction', (n) => n.direction)
      .attr('transform', (n) => `translate(${n.x},${n.y})`)
      .each(function (n) {
        drawNode(d3.select(this), n);
        if (n.direction !== null && n.direction === d.selectedDirection) {
          d3.select(this).insert('circle', ':first-child').attr('class', 'hg-ring').attr('r', n.r + 4);
        }
      });
    note
      .attr('x', width / 2)
      .attr('y', layout.bottom + 16)
      .attr('text-anchor', 'middle')
      .text(graph.hiddenDirections > 0 ? `+${graph.hiddenDirections} more directions (showing the ${graph.totalDirections - graph.hiddenDirections} used by most classes)` : '');
    drawLegend(legendPlan, layout.bottom + 38);
    mark();
    const shared = graph[primal ? 'right' : 'left'].filter((n) => n.kind === 'shared').length;
    const unique = graph[primal ? 'right' : 'left'].filter((n) => n.kind === 'unique').length;
    const classes = graph[primal ? 'left' : 'right'].length;
    svg.attr(
      'aria-label',
      `Singular-direction hypergraph (our construction), ${primal ? 'classes as hyperedges over directions' : 'dual: directions as hyperedges over classes'}: ` +
        `${classes} classes, ${graph.totalDirections} directions (${shared} shared by all, ${unique} unique to one class)` +
        (graph.hiddenDirections > 0 ? `, ${graph.hiddenDirections} not drawn` : ''),
    );
  }

  return chartLifecycle(svg, state, render);
}
