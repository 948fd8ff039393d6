// The console's view of the HTTP contract's types: the one place screens import them from.
// All of them are generated from the server's DTOs (ts-rs) into `src/bindings/console.ts`.
export type * from '../bindings/console'
