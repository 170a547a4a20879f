/**
 * Long work on the request path (a 50,000-row CSV import) gives the event loop back now and then, so that other
 * requests are answered meanwhile (issue 17). A macrotask, not a resolved promise: awaiting a resolved promise runs
 * the continuation before any I/O. `setTimeout` exists on Node and on Workers alike.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Work slices between yields: about a few milliseconds each on this machine. */
export const CSV_SLICE_CHARS = 64 * 1024;
export const ROWS_PER_SLICE = 2_000;
