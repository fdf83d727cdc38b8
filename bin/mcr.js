#!/usr/bin/env node
// The `mcr` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the `prepare` script) and by `npm run build`.
import('../dist/cli/mcr.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/mcr.js')) {
    console.error('mcr: dist/ is missing; run `npm run build` (or `npm install`) first.');
    process.exit(1);
  }
  throw err;
});
