;; fuel.wat - loops and calls to spend fuel on, and to interrupt.
(module
  ;; Counts to n in a loop and returns n.
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
  ;; Never ends.
  (func (export "spin")
    (loop $l (br $l)))
  ;; Never ends, but only through calls: no backward branch in the loop
  ;; body's callee, and the loop itself is a tail of calls.
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "spin_calls") (local $x i32)
    (loop $l
      (local.set $x (call $leaf (local.get $x)))
      (br $l)))
  ;; Recursion n deep; returns n.
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get $n) (i32.const 1)))
                     (i32.const 1)))))
  (func (export "answer") (result i32) (i32.const 42)))
