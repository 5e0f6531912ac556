import { readFileSync } from 'node:fs';

/**
 * Resident memory of a process from `/proc/<pid>/status` (VmRSS), in bytes; null when it cannot be
 * read (the process is gone, or the platform has no procfs).
 */
export function readRssBytes(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]) * 1024;
}

/**
 * Poll a child's RSS every `intervalMs` and call `onExceeded` once when it passes `capBytes`.
 * Returns the function that stops the polling.
 */
export function watchMemory(
  pid: number,
  capBytes: number,
  intervalMs: number,
  onExceeded: (rssBytes: number) => void,
): () => void {
  const timer = setInterval(() => {
    const rss = readRssBytes(pid);
    if (rss !== null && rss > capBytes) {
      clearInterval(timer);
      onExceeded(rss);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
