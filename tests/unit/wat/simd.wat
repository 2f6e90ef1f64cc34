;; simd.wat - v128 through the API: cells in calls, globals, loops and
;; branches carrying v128 values (test_simd.c).
(module
  (memory 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))

  ;; A mix of widths: each v128 is two cells between scalar ones.
  (func (export "mix") (param $a i32) (param $v v128) (param $b i64)
        (result v128 i32 i64 v128)
    (i32x4.add (local.get $v) (i32x4.splat (local.get $a)))
    (i32.add (local.get $a) (i32.const 1))
    (i64.mul (local.get $b) (i64.const 2))
    (local.get $v))

  ;; Sums 1..n in four lanes scaled by 1, 2, 3, 4: a v128 local in a loop,
  ;; a v128 block result carried by br_if.
  (func (export "sum") (param $n i32) (result v128)
    (local $acc v128) (local $i i32)
    (block $done (result v128)
      (loop $next
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $acc
          (i32x4.add (local.get $acc)
            (i32x4.mul (i32x4.splat (local.get $i)) (v128.const i32x4 1 2 3 4))))
        (br_if $done (local.get $acc) (i32.ge_u (local.get $i) (local.get $n)))
        (br $next))
      (unreachable)))

  (func (export "bump") (param $v v128)
    (global.set $g (i64x2.add (global.get $g) (local.get $v))))

  (func (export "load") (param $p i32) (result v128)
    (v128.load offset=8 (local.get $p)))

  ;; select and a multi-value block with a v128 between scalars.
  (func (export "pick") (param $c i32) (param $x v128) (param $y v128) (result i32 v128 i32)
    (block (result i32 v128 i32)
      (i32.const 7)
      (select (local.get $x) (local.get $y) (local.get $c))
      (i32.const 9))))
