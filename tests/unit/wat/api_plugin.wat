;; api_plugin.wat - the plugin of test_api.c, written against Extism's
;; kernel ABI directly.  Every function takes its input as bytes:
;;   run     the input upper-cased by the host function extism:host/user "upper"
;;   config  the config value of the key given as input (empty when absent)
;;   log     logs the input at info level, outputs nothing
;;   spin    never returns (for timeouts, fuel and cancel)
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/user" "upper" (func $upper (param i64) (result i64)))
  (memory (export "memory") 1)

  ;; The input copied into a new block; its offset.
  (func $input_block (result i64)
    (local $n i64) (local $off i64) (local $i i64)
    (local.set $n (call $input_length))
    (local.set $off (call $alloc (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (call $store_u8 (i64.add (local.get $off) (local.get $i))
                        (call $input_load_u8 (local.get $i)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $off))

  (func $output_block (param $off i64)
    (if (i64.ne (local.get $off) (i64.const 0))
      (then (call $output_set (local.get $off) (call $length (local.get $off))))))

  (func (export "run") (result i32)
    (call $output_block (call $upper (call $input_block)))
    (i32.const 0))
  (func (export "config") (result i32)
    (call $output_block (call $config_get (call $input_block)))
    (i32.const 0))
  (func (export "log") (result i32)
    (call $log_info (call $input_block))
    (i32.const 0))
  (func (export "spin") (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))
