// Bridge.NET (inside the Kusto language service) sees the bundler's CommonJS wrapper and takes `global` as its
// global object; a browser worker has only `globalThis`.
const scope = globalThis as typeof globalThis & { global?: typeof globalThis };
scope.global ??= globalThis;
