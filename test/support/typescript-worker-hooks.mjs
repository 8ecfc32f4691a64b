// Lets a worker thread started by the TypeScript sources (under vitest) load them: `--import` this file.
// Relative `.js` specifiers resolve to the `.ts` source beside them; `.ts` files are transpiled by TypeScript.
import { register } from 'node:module';
import { URL } from 'node:url';

register(new URL('./typescript-loader.mjs', import.meta.url));
