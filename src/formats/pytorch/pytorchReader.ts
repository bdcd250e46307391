import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { sniffPytorch } from './sniffPytorch';

/**
 * The PyTorch reader: `torch.save` zip checkpoints (`.pt`, `.pth`, `.bin`, `.ckpt`), read through a pickle
 * parser that never runs code. `sniff` also claims legacy (pre-1.6) files and bare pickles, so that opening
 * them explains `LEGACY_FORMAT`. `open` is loaded on first use.
 */
export const pytorchReader: FormatReader = {
  id: 'pytorch',
  label: 'PyTorch',
  // `.bin` is left out of the extension fallback on purpose: TF.js shards and ONNX external data use it too, so
  // a `.bin` file is claimed only by its bytes (the zip's `data.pkl` entry), and anything else is "unknown".
  extensions: ['.pt', '.pth', '.ckpt'],
  note: 'also pytorch_model.bin; torch.save zip checkpoints; code in pickles is never run',
  sniff: (head: Uint8Array, _file: NamedBlob) => sniffPytorch(head),
  open: async (files) => (await import('./openPytorch')).openPytorch(files),
};
