;; memory_min10.wat - a memory that starts at 10 pages.
(module
  (memory (export "mem") 10)
  (func (export "size") (result i32) (memory.size)))
