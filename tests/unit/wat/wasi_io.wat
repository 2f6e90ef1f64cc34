;; wasi_io.wat - a WASI command for the embedder-side tests of src/wasi:
;; echoes stdin to stdout, writes "err" to stderr, then exits with the
;; number of environment variables it was given.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "err")
  (func (export "_start")
    (local $n i32)
    ;; iovec at 0: buf 1024, len 4096; nread at 16
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 4096))
    (block $done
      (loop $more
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
        (local.set $n (i32.load (i32.const 16)))
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store (i32.const 8) (i32.const 1024))
        (i32.store (i32.const 12) (local.get $n))
        (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 20)))
        (br $more)))
    (i32.store (i32.const 8) (i32.const 200))
    (i32.store (i32.const 12) (i32.const 3))
    (drop (call $fd_write (i32.const 2) (i32.const 8) (i32.const 1) (i32.const 20)))
    (drop (call $env_sizes (i32.const 24) (i32.const 28)))
    (call $exit (i32.load (i32.const 24)))))
