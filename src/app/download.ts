/** Save text or a blob as a file the user downloads (an object URL on a temporary link). */
export function download(name: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name stem from a model name: `model.onnx` → `model`. */
export function stem(name: string): string {
  return name.replace(/\.[^./]+$/, '').replace(/[^\w.-]+/g, '_') || 'model';
}
