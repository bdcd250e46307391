/**
 * A chart as a standalone file: its SVG with the computed styles written inline (the app's CSS variables and
 * theme do not travel with a file), on the page's background colour; or that SVG rasterised to PNG at 2×.
 *
 * Charts that draw dense marks on a canvas (`canvasLayer.ts`) keep an empty SVG `<path>` per series (for its CSS
 * class and computed style) and register an export provider here, which returns each path's data for the file
 * (and undoes what only the screen needs, e.g. the grid the canvas paints under the marks in place of the SVG's).
 * Why a decimated vector path rather than the canvas as an embedded `<image href="data:image/png…">`:
 * - the file stays a vector drawing: sharp at any zoom or print size, editable in Inkscape/Illustrator, with the
 *   dashed reference and the theme colours as real stroke styles (copied like every other element's);
 * - it is small: per-pixel min/max decimation keeps ≤ 2 points per column, so at 2 columns per CSS px a series
 *   in an 800 px plot is ≤ 3,200 points (measured: ~40 kB of path data for 100k values), whatever its length;
 *   a 2× PNG of that chart is ~100 kB, ~135 kB as base64. The shape is the one on screen (the same envelope, at
 *   twice the horizontal resolution);
 * - the PNG export rasterises this SVG at 2×, so its marks are drawn at 2× too, with no canvas read-back (no
 *   taint or timing concerns, and a chart that has not painted yet still exports).
 */

/** What the copy of one element of the live chart gets in an exported file. */
export interface ExportPatch {
  readonly element: Element;
  /** Attributes to set, e.g. a canvas-drawn series' path data `d`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Style properties to set over the computed ones copied from the page. */
  readonly style?: Readonly<Record<string, string>>;
}

/** The patches for an export at `pixelRatio` device px per CSS px (2 for the 2× PNG). */
export type ExportPatches = (pixelRatio: number) => readonly ExportPatch[];

const exportPatches = new WeakMap<SVGSVGElement, ExportPatches>();

/** Register (or with `null` remove) what `standaloneSvg` changes in `svg`'s copy. */
export function setExportPatches(svg: SVGSVGElement, patches: ExportPatches | null): void {
  if (patches) exportPatches.set(svg, patches);
  else exportPatches.delete(svg);
}

/** Presentation properties copied from the computed style of every element. */
const PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'display',
  'visibility',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const;

/**
 * The chart's SVG as text, self-contained. Canvas-drawn marks become vector paths, decimated for `pixelRatio`
 * device px per CSS px (2 by default: the PNG export's resolution; also fine for a vector file).
 */
export function standaloneSvg(svg: SVGSVGElement, pixelRatio = 2): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((el, i) => {
    const style = getComputedStyle(el);
    const copy = copies[i] as SVGElement;
    copy.setAttribute('style', PROPERTIES.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'));
  });
  for (const patch of exportPatches.get(svg)?.(pixelRatio) ?? []) {
    const copy = copies[originals.indexOf(patch.element)] as SVGElement | undefined;
    if (!copy) continue;
    for (const [name, value] of Object.entries(patch.attributes ?? {})) copy.setAttribute(name, value);
    for (const [name, value] of Object.entries(patch.style ?? {})) copy.style.setProperty(name, value);
  }
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', getComputedStyle(svg.closest('figure') ?? document.body).backgroundColor || '#ffffff');
  clone.insertBefore(background, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** The chart rasterised at `scale`× its on-screen size, as a PNG blob. */
export async function chartPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([standaloneSvg(svg, scale)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2-D canvas context');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
