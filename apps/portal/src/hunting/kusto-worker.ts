// The Kusto language-service worker, after the globals it expects; imports run in order.
import './worker-globals';
import '@kusto/monaco-kusto/release/esm/kusto.worker';
