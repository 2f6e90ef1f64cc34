// node_bench.mjs - the node column of `make bench`: times one call of a
// benchmark module's bench_run(scale) in Node's V8.
//
// Usage: node [V8 flags] bench/node_bench.mjs MODULE.wasm SCALE
// Compiles and instantiates the module with no imports, calls bench_run
// once and prints one line in the format the three drivers share:
//     checksum=<u64> run_ms=<ms> compile_ms=<ms> instantiate_ms=<ms>
// Times come from process.hrtime.bigint(); run_ms covers the call only.
// bench/run.sh passes --liftoff=false so V8 compiles every function with
// its optimizing tier (TurboFan) inside WebAssembly.compile: V8 cannot
// switch a running wasm frame to optimized code, so with the default
// tiering a single long call would spend most of its time in baseline code.
// Any failure prints "error: ..." and exits 1.

import { readFileSync } from 'node:fs';

function ms(from, to) {
  return (Number(to - from) / 1e6).toFixed(3);
}

async function main() {
  const [file, scaleArg] = process.argv.slice(2);
  if (file === undefined || scaleArg === undefined || !/^[0-9]+$/.test(scaleArg)) {
    console.error('usage: node bench/node_bench.mjs MODULE.wasm SCALE');
    return 2;
  }
  const scale = Number(scaleArg);
  if (scale > 0xffffffff) {
    console.error(`bad scale '${scaleArg}'`);
    return 2;
  }
  const bytes = readFileSync(file);

  const t0 = process.hrtime.bigint();
  const module = await WebAssembly.compile(bytes);
  const t1 = process.hrtime.bigint();
  const imports = WebAssembly.Module.imports(module);
  if (imports.length !== 0) {
    console.error(`error: ${file} has ${imports.length} imports; benchmark modules must have none`);
    return 1;
  }
  const t2 = process.hrtime.bigint();
  const instance = await WebAssembly.instantiate(module, {});
  const t3 = process.hrtime.bigint();
  const run = instance.exports.bench_run;
  if (typeof run !== 'function') {
    console.error(`error: ${file} exports no function bench_run`);
    return 1;
  }

  const t4 = process.hrtime.bigint();
  const result = run(scale);
  const t5 = process.hrtime.bigint();

  // An i64 result arrives as a signed BigInt; print it unsigned as C does.
  const checksum = BigInt.asUintN(64, BigInt(result));
  console.log(`checksum=${checksum} run_ms=${ms(t4, t5)} ` +
              `compile_ms=${ms(t0, t1)} instantiate_ms=${ms(t2, t3)}`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`error: ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
});
