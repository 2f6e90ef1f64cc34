;; fib.wat - Fibonacci numbers, the `make demo` example:
;;   wasmguard invoke build/examples/fib.wasm fib 30        -> 832040
;;   wasmguard invoke build/examples/fib.wasm fib_iter 90   -> 2880067194370816120
(module
  ;; Recursive, exponential: a benchmark of calls.  fib(0) = 0, fib(1) = 1.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; Iterative, linear: a loop.  n <= 0 gives 0; wraps past fib(92).
  (func (export "fib_iter") (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $a)))
