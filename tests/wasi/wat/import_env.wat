;; A command that also imports something from "env": run must refuse it
;; with one line naming env.host_thing (exit 126).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "host_thing" (func $thing (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (call $thing))))
