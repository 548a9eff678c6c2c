/** Messages between `npm run bench:pages` and the statement probe inside the Haven it measures. */
export type ProbeRequest =
  /** How many statements so far? */
  | { readonly type: 'count' }
  /** Start keeping the SQL text of each statement (answers with the count so far). */
  | { readonly type: 'record' }
  /** Stop keeping SQL text and send what was kept. */
  | { readonly type: 'recorded' }
  /** The process's own figures (after a full GC when node runs with --expose-gc). */
  | { readonly type: 'process' };

export type ProbeReply =
  | { readonly type: 'counts'; readonly statements: number }
  | { readonly type: 'recorded'; readonly statements: number; readonly sql: readonly string[] }
  | {
      readonly type: 'process';
      readonly statements: number;
      readonly heapUsedBytes: number;
      /** User + system CPU since the process started. */
      readonly cpuMicros: number;
      /** Live timers (setTimeout/setInterval handles), from process.getActiveResourcesInfo(). */
      readonly timers: number;
      /** Live setInterval handles, unref'd ones included. */
      readonly intervals: number;
      /** Whether the heap figure follows a full collection (node --expose-gc). */
      readonly collected: boolean;
    };
