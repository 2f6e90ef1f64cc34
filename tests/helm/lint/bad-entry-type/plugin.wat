(module (func (export "helm_plugin_main") (param i32) (result i32) local.get 0))
