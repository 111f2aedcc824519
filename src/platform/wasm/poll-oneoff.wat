;; The whole of uvts's WebAssembly: a module that lends its memory to
;; WASI's poll_oneoff.
;;
;; Node's `node:wasi` runs poll_oneoff on the host's libuv: a subscription
;; to a WASI descriptor that the instance maps to a host descriptor is a
;; real readiness wait on that descriptor, without reading from it. That is
;; what `Poll` needs and Node offers no other public way to get
;; (docs/node.md, node:wasi). WASI functions read their arguments from the
;; calling instance's memory, so the instance exports one page of memory,
;; where uvts writes the subscriptions and reads the events, and one
;; function that passes its four arguments straight on.
;;
;; src/platform/wasm/poll-oneoff.ts holds the bytes of this text;
;; test/poll-wasm.test.ts assembles this file again and compares.
(module
  (type $poll_oneoff (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (type $poll_oneoff)))
  (memory (export "memory") 1)
  ;; poll(subscriptions, events, subscription count, where to store the
  ;; event count) -> WASI errno (0: success)
  (func (export "poll") (type $poll_oneoff)
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call $poll_oneoff))
