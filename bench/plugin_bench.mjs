// plugin_bench.mjs - the same measurements as plugin_bench.c with
// Extism's own JS SDK (npm @extism/extism) in Node, for the ratios of
// `make bench`.  Usage: node plugin_bench.mjs PLUGIN.wasm fresh|reuse ITERATIONS BATCHES
// fresh: the module is compiled once; each iteration creates a plugin
// from it, calls count_vowels and closes it.  reuse: one plugin, noop.
import createPlugin from '@extism/extism';
import { readFileSync } from 'node:fs';

const [file, mode, itersArg, batchesArg] = process.argv.slice(2);
const iters = Number(itersArg), batches = Number(batchesArg);
const module = await WebAssembly.compile(readFileSync(file));
const manifest = { wasm: [{ module }] };
const options = { useWasi: false };
const per = [];
const kept = mode === 'fresh' ? null : await createPlugin(manifest, options);
for (let b = 0; b < batches; b++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) {
    const p = kept ?? await createPlugin(manifest, options);
    await p.call(mode === 'fresh' ? 'count_vowels' : 'noop', mode === 'fresh' ? 'hello, world' : '');
    if (!kept) await p.close();
  }
  per.push(Number(process.hrtime.bigint() - t0) / 1000 / iters);
}
per.sort((x, y) => x - y);
console.log(`${mode} ${per[Math.floor(batches / 2)].toFixed(3)}`);
if (kept) await kept.close();
