/** Types of serve-isolated.mjs, for the TypeScript tests that start it. */
export declare const ISOLATION_HEADERS: Record<string, string>;
export declare function serveIsolated(dir: string, opts?: { port?: number; isolated?: boolean }): Promise<{ url: string; close: () => Promise<void> }>;
