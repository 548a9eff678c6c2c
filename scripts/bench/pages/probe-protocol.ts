/** Messages between `npm run bench:pages` and the statement probe inside the Haven it measures. */
export type ProbeRequest =
  /** How many statements so far? */
  | { readonly type: 'count' }
  /** Start keeping the SQL text of each statement (answers with the count so far). */
  | { readonly type: 'record' }
  /** Stop keeping SQL text and send what was kept. */
  | { readonly type: 'recorded' };

export type ProbeReply =
  | { readonly type: 'counts'; readonly statements: number }
  | { readonly type: 'recorded'; readonly statements: number; readonly sql: readonly string[] };
