// The Bridge.NET scripts of the Kusto language service define globals and export nothing.
declare module '@kusto/language-service-next/bridge.min.js';
declare module '@kusto/language-service-next/Kusto.Language.Bridge.min.js';
