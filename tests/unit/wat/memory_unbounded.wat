;; memory_unbounded.wat - a memory with no maximum of its own.
(module
  (memory (export "mem") 0)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
