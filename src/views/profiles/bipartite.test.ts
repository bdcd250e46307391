import { describe, expect, it } from 'vitest';
import { directionHypergraph } from '../../analysis/profiles';
import type { BipartiteLayout, PlacedNode } from './bipartite';
import { MAX_LINK_PX, bipartiteGraph, bipartiteHeight, bipartiteLayout } from './bipartite';
import { PROFILES, randomProfiles } from './testing/profileFixture';

const CLASSES = PROFILES.map((p) => p.label);
const h = directionHypergraph(PROFILES);
const MARGINS = { top: 40, bottom: 64, leftLabel: 60, rightLabel: 30 };

/** Nodes of one column, top to bottom. */
const column = (layout: BipartiteLayout, side: 'left' | 'right') => layout.nodes.filter((n) => n.side === side).sort((a, b) => a.y - b.y);

function expectInBoundsAndApart(layout: BipartiteLayout, size: { width: number; height: number }) {
  for (const n of layout.nodes) {
    expect(n.x - n.r).toBeGreaterThanOrEqual(0);
    expect(n.x + n.r).toBeLessThanOrEqual(size.width);
    expect(n.y - n.r).toBeGreaterThanOrEqual(MARGINS.top);
    expect(n.y + n.r).toBeLessThanOrEqual(size.height - MARGINS.bottom);
  }
  for (const side of ['left', 'right'] as const) {
    const nodes = column(layout, side);
    for (let i = 1; i < nodes.length; i++) {
      const a = nodes[i - 1] as PlacedNode;
      const b = nodes[i] as PlacedNode;
      expect(b.y - a.y).toBeGreaterThan(a.r + b.r);
    }
  }
}

describe('bipartiteGraph', () => {
  it('primal: classes with inputs on the left, directions by σ rank on the right, one link per membership', () => {
    const g = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    expect(g.left.every((n) => n.role === 'class')).toBe(true);
    expect(g.left.map((n) => n.label).sort()).toEqual(['A', 'B', 'C']);
    expect(g.right.map((n) => n.direction)).toEqual([0, 2, 3, 5, 7]);
    expect(g.right.map((n) => n.label)).toEqual(['1', '3', '4', '6', '8']);
    expect(g.links).toHaveLength(3 + 3 + 3);
    expect(g.links.every((l) => l.left.startsWith('class:') && l.right.startsWith('direction:'))).toBe(true);
    expect(g.hiddenDirections).toBe(0);
  });

  it('marks shared and unique directions, with the owning class’s style index', () => {
    const g = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    const kinds = Object.fromEntries(g.right.map((n) => [n.direction, [n.kind, n.classIndex]]));
    expect(kinds).toEqual({ 0: ['shared', null], 2: ['unique', 0], 3: ['other', null], 5: ['unique', 1], 7: ['other', null] });
  });

  it('orders classes by the share-weighted barycentre of their directions’ positions', () => {
    const g = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    // Positions of directions 0, 2, 3, 5, 7: 0…4. A: 0.5·0 + 0.3·1 + 0.2·2 = 0.7; B: 0.75·0 + 0.15·3 + 0.1·4 = 0.85;
    // C: 0.5·0 + 0.25·2 + 0.25·4 = 1.5.
    expect(g.left.map((n) => n.label)).toEqual(['A', 'B', 'C']);
    // Equal barycentres keep the class order.
    const twins = directionHypergraph([
      { label: 'y', count: 1, weights: Float64Array.from([1, 1]) },
      { label: 'x', count: 1, weights: Float64Array.from([1, 1]) },
    ]);
    expect(bipartiteGraph(twins, { mode: 'primal', classes: ['y', 'x'] }).left.map((n) => n.label)).toEqual(['y', 'x']);
  });

  it('link shares are per class, default denominator its hyperedge’s total', () => {
    const g = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    const a = g.links.filter((l) => l.classLabel === 'A').map((l) => [l.direction, l.share]);
    expect(a).toEqual([
      [0, 0.5],
      [2, 0.3],
      [3, 0.2],
    ]);
    const halved = bipartiteGraph(h, { mode: 'primal', classes: CLASSES, classTotals: new Map([['A', 4]]) });
    expect(halved.links.find((l) => l.classLabel === 'A' && l.direction === 0)?.share).toBe(0.25);
  });

  it('dual swaps the sides and the link ends, with the same memberships', () => {
    const primal = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    const dual = bipartiteGraph(h, { mode: 'dual', classes: CLASSES });
    expect(dual.mode).toBe('dual');
    expect(dual.left.map((n) => n.id)).toEqual(primal.right.map((n) => n.id));
    expect(dual.right.map((n) => n.id)).toEqual(primal.left.map((n) => n.id));
    const pairs = (g: typeof primal) => g.links.map((l) => `${l.classLabel}/${l.direction}/${l.share}`).sort();
    expect(pairs(dual)).toEqual(pairs(primal));
    expect(dual.links.every((l) => l.left.startsWith('direction:') && l.right.startsWith('class:'))).toBe(true);
  });

  it('keeps the most used directions when there are too many, in rank order, and counts the rest', () => {
    const many = directionHypergraph(randomProfiles(12, 200, 30, 7));
    expect(many.vertices.length).toBeGreaterThan(60);
    const g = bipartiteGraph(many, { mode: 'primal' });
    expect(g.right).toHaveLength(60);
    expect(g.hiddenDirections).toBe(many.vertices.length - 60);
    const ks = g.right.map((n) => n.direction as number);
    expect(ks).toEqual([...ks].sort((a, b) => a - b));
    const minKept = Math.min(...ks.map((k) => many.degree.get(k) ?? 0));
    const maxDropped = Math.max(0, ...many.vertices.filter((k) => !ks.includes(k)).map((k) => many.degree.get(k) ?? 0));
    expect(minKept).toBeGreaterThanOrEqual(maxDropped);
    expect(ks).toContain(0); // shared by all: highest degree
    expect(g.links.every((l) => ks.includes(l.direction))).toBe(true);
  });
});

describe('bipartiteLayout', () => {
  it('places both columns inside the box with no overlapping nodes', () => {
    for (const mode of ['primal', 'dual'] as const) {
      const g = bipartiteGraph(h, { mode, classes: CLASSES });
      const size = { width: 500, height: 320 };
      const layout = bipartiteLayout(g, size, MARGINS);
      expect(layout.nodes).toHaveLength(g.left.length + g.right.length);
      expect(layout.leftX).toBeLessThan(layout.rightX);
      expectInBoundsAndApart(layout, size);
      expect(column(layout, 'left').every((n) => n.x === layout.leftX)).toBe(true);
    }
  });

  it('stays readable at 20 classes × 60 directions: no overlaps, thinned labels only when dense', () => {
    const g = bipartiteGraph(directionHypergraph(randomProfiles(20, 200, 25, 3)), { mode: 'primal' });
    for (const height of [bipartiteHeight(g), 300]) {
      const size = { width: 700, height };
      const layout = bipartiteLayout(g, size, MARGINS);
      expectInBoundsAndApart(layout, size);
      const right = column(layout, 'right');
      const step = ((right[1] as PlacedNode).y - (right[0] as PlacedNode).y);
      expect(right.every((n) => n.showLabel)).toBe(step >= 12);
    }
    expect(bipartiteHeight(g)).toBe(1000);
    expect(bipartiteHeight(bipartiteGraph(h, { mode: 'primal' }))).toBe(260);
  });

  it('draws links from the left node to the right node, width ∝ share up to MAX_LINK_PX', () => {
    const g = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    const layout = bipartiteLayout(g, { width: 500, height: 320 }, MARGINS);
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const l of layout.links) {
      expect(l.y0).toBe(byId.get(l.left)?.y);
      expect(l.y1).toBe(byId.get(l.right)?.y);
      expect(l.x0).toBeLessThan(l.x1);
    }
    const widest = layout.links.reduce((a, b) => (b.width > a.width ? b : a));
    expect(widest.width).toBe(MAX_LINK_PX);
    expect(widest.share).toBe(Math.max(...layout.links.map((l) => l.share)));
  });

  it('centres a column of few nodes', () => {
    const g = bipartiteGraph(h, { mode: 'primal', classes: CLASSES });
    const layout = bipartiteLayout(g, { width: 500, height: 600 }, MARGINS);
    const left = column(layout, 'left');
    const mid = (MARGINS.top + 600 - MARGINS.bottom) / 2;
    expect(((left[0] as PlacedNode).y + (left[left.length - 1] as PlacedNode).y) / 2).toBeCloseTo(mid, 9);
  });
});
