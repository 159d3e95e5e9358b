/** The folder of the built portal (index.html and assets/). */
export declare const portalAssetsDir: string;
/** True when the portal has been built. */
export declare function portalBuilt(): boolean;
