;; plugin.wat - the plugin of the install test: an Extism plugin written
;; against the kernel ABI directly.  "run" copies its input into a block,
;; has the host function extism:host/user "upper" upper-case it, and
;; outputs the result; "fail" returns 1, "trap" traps, "spin" never ends.
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/user" "upper" (func $upper (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "run") (result i32)
    (local $n i64) (local $off i64) (local $i i64) (local $out i64)
    (local.set $n (call $input_length))
    (local.set $off (call $alloc (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (call $store_u8 (i64.add (local.get $off) (local.get $i))
                        (call $input_load_u8 (local.get $i)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.set $out (call $upper (local.get $off)))
    (call $output_set (local.get $out) (call $length (local.get $out)))
    (i32.const 0))
  (func (export "fail") (result i32) (i32.const 1))
  (func (export "trap") (result i32) unreachable)
  (func (export "spin") (result i32) (loop $forever (br $forever)) (i32.const 0)))
