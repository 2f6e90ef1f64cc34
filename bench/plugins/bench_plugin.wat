;; bench_plugin.wat - the plugin of the plugin-call benchmarks: `noop`
;; (the call overhead) and `count_vowels` (reads the input through the
;; kernel, writes an 8-byte count as output).  Written against Extism's
;; kernel imports only, so Extism's own SDKs run it unchanged.
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "noop") (result i32) (i32.const 0))
  (func (export "count_vowels") (result i32)
    (local $i i64) (local $n i64) (local $c i32) (local $count i64) (local $out i64)
    (local.set $n (call $input_length))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.or (call $input_load_u8 (local.get $i)) (i32.const 32)))
        (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 97))
                            (i32.eq (local.get $c) (i32.const 101)))
                    (i32.or (i32.or (i32.eq (local.get $c) (i32.const 105))
                                    (i32.eq (local.get $c) (i32.const 111)))
                            (i32.eq (local.get $c) (i32.const 117))))
          (then (local.set $count (i64.add (local.get $count) (i64.const 1)))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.set $out (call $alloc (i64.const 8)))
    (call $store_u64 (local.get $out) (local.get $count))
    (call $output_set (local.get $out) (i64.const 8))
    (i32.const 0)))
