;; memory.wat - a growable memory (1 page, module max 100) and accessors.
(module
  (memory (export "mem") 1 100)
  (data (i32.const 0) "\01\02\03\04")
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
