#!/usr/bin/env node
// `npx artificial-mri analyze …` from a checkout: run the TypeScript CLI through tsx (a devDependency).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => {
    if (process.stderr.isTTY || !text.startsWith('\r')) process.stderr.write(text);
  },
});
