/** Types of bin/build.mjs for the tests that import it. */
export declare const ENTRY_POINTS: readonly string[];
export declare function buildIsCurrent(dir?: string): boolean;
export declare function build(dir?: string): Promise<boolean>;
