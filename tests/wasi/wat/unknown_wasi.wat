;; Imports a function wasi_snapshot_preview1 does not have (exit 126).
(module
  (import "wasi_snapshot_preview1" "no_such_function" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
