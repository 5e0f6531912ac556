/**
 * The page's own caps, declared once. They bound what the page keeps in memory and draws; the
 * host's limits live in `@plugin-interfaces/spec` (`LIMIT_DEFS`).
 */
export const PAGE_LIMITS = {
  /** Bridge frames the event inspector keeps (older ones fall off). */
  inspectorFrames: 500,
  /** Frames the inspector draws per page; "Show older" draws the next page, so all kept frames are reachable. */
  inspectorPage: 100,
  /** Plugin log lines the log panel keeps. */
  logLines: 1000,
  /** Above this many plugins, the plugin list draws only the rows in view. */
  virtualizeAfter: 40,
  /** How often the Log tab asks for the plugin processes (pid, memory, restarts), in ms. */
  processPollMs: 2000,
} as const;
