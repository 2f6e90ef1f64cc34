;; leaf.wat - a guest that calls host functions with a leaf form (test_host.c).
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "note" (func $note (param i64)))
  ;; 0 + 1 + ... + (n - 1), each addition by the host
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; a leaf without a result leaves the values around the call alone
  (func (export "keep") (param $x i64) (result i64)
    (i64.add (local.get $x) (block (result i64) (call $note (local.get $x)) (i64.const 1)))))
