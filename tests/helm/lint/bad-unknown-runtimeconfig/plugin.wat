(module
  (memory (export "memory") 1)
  (func (export "helm_plugin_main") (result i32) i32.const 0))
