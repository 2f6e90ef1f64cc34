;; Imports proc_exit with the wrong signature (exit 126).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i64)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i64.const 3))))
