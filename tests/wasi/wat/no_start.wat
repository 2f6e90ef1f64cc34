;; A reactor: no _start, so not a command (exit 126).
(module
  (memory (export "memory") 1)
  (func (export "work") (result i32) (i32.const 1)))
