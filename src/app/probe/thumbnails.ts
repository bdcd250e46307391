/** Images the app renders itself (the built-in stroke set) as data URLs for <img>. */

/** A PNG data URL of row-major RGBA pixels, or '' where there is no document (server rendering, tests). */
export function rgbaDataUrl(rgba: Uint8ClampedArray, width: number, height: number): string {
  if (typeof document === 'undefined' || rgba.length !== 4 * width * height) return '';
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d');
  if (!context) return '';
  const image = context.createImageData(width, height);
  image.data.set(rgba);
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
