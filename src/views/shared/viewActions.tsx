import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';

/** What a view offers to put beside its caption: export and embed buttons, supplied by the app shell. */
export interface ViewActionRequest {
  /** The embed panel this view is (`strip`, `depth`, `table`, …). */
  readonly panel: 'strip' | 'depth' | 'table' | 'spectrum' | 'esd' | 'fit' | 'trap' | 'metrics' | 'heatmap' | 'hypergraph' | 'jaccard' | 'overlap' | 'tuning' | 'curvature' | 'circuit' | 'steps' | 'step-spectra' | 'delta-spectrum' | 'principal-angles';
  /** File name stem for exports. */
  readonly name: string;
  /** What the view shows, for the embed's title. */
  readonly title: string;
  /** Whether the view is a chart (SVG/PNG export) or not (embed only). */
  readonly chart: boolean;
}

const ViewActionsContext = createContext<(request: ViewActionRequest) => ReactNode>(() => null);

/**
 * The app provides the buttons (views may not import the app); an embed provides none, so it stays chrome-less.
 */
export const ViewActionsProvider = ViewActionsContext.Provider;

/** The actions the app gives this view, or nothing. */
export function ViewActions(props: ViewActionRequest) {
  return useContext(ViewActionsContext)(props);
}
