import { LIMITS } from '@plugin-interfaces/spec';

/**
 * The page's own caps. They bound what the page keeps in memory and draws; like every limit they
 * are declared in the spec (`LIMIT_DEFS`, layer `frontend`), which documents each one.
 */
export const PAGE_LIMITS = {
  inspectorFrames: LIMITS.playgroundInspectorFrames,
  inspectorPage: LIMITS.playgroundInspectorPage,
  logLines: LIMITS.playgroundLogLines,
  virtualizeAfter: LIMITS.playgroundVirtualizeAfter,
  processPollMs: LIMITS.playgroundProcessPollMs,
} as const;
