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
      (i32.const 9)));; Control flow carrying v128 values (test_simd_control_flow_moves_v128).
  (type $vv (func (param v128 i32) (result i32 v128)))
  (table 2 funcref)
  (elem (i32.const 0) $swap $id)
  (func $swap (type $vv) (local.get 1) (i32x4.add (local.get 0) (i32x4.splat (local.get 1))))
  (func $id (type $vv) (local.get 1) (local.get 0))
  (func (export "br_table") (param $i i32) (param $v v128) (result v128)
    (block $a (result v128)
      (block $b (result v128)
        (block $c (result v128)
          (local.get $v)
          (br_table $a $b $c (local.get $i)))
        (i32x4.add (v128.const i32x4 100 100 100 100)))
      (i32x4.add (v128.const i32x4 10 10 10 10))))
  (func (export "if_params") (param $c i32) (param $v v128) (result v128 i32)
    (local.get $v) (i32.const 5)
    (if (param v128 i32) (result v128 i32) (local.get $c)
      (then (drop) (i32x4.neg) (i32.const 1))
      (else (i32.add (i32.const 2)))))
  (func (export "call_indirect") (param $k i32) (param $v v128) (result i32 v128)
    (call_indirect (type $vv) (local.get $v) (i32.const 3) (local.get $k)))
  (func (export "tee") (param $v v128) (result v128)
    (local $w v128)
    (local.set $v (i32x4.mul (local.tee $w (local.get $v)) (local.get $v)))
    (i32x4.sub (local.get $v) (local.get $w)))
  (func (export "select_self") (param $v v128) (param $c i32) (result v128)
    (local.set $v (select (v128.not (local.get $v)) (local.get $v) (local.get $c)))
    (local.get $v))
  (func (export "br_values") (param $v v128) (result i64 v128 f32)
    (block (result i64 v128 f32)
      (i64.const 7) (local.get $v) (f32.const 1.5) (br 1)))
  (func (export "loop_param") (param $n i32) (result v128)
    (v128.const i64x2 0 0)
    (loop $l (param v128) (result v128)
      (i64x2.add (v128.const i64x2 1 2))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l)))

  ;; A mul whose result the add or sub takes at once: the compiler fuses
  ;; the pair; the product must still be rounded on its own.  The last
  ;; result is written into $x, one of its own operands.
  (func (export "muladd") (param $a v128) (param $x v128) (param $y v128)
        (result v128 v128 v128)
    (f64x2.add (local.get $a) (f64x2.mul (local.get $x) (local.get $y)))
    (f64x2.sub (local.get $a) (f64x2.mul (local.get $x) (local.get $y)))
    (local.set $x (f32x4.add (local.get $a) (f32x4.mul (local.get $x) (local.get $y))))
    (local.get $x)))
