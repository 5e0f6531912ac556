const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The link target to use for `href`, or `null` when it must not become a link: only absolute
 * http, https and mailto URLs pass (no `javascript:`, `data:`, relative or protocol-less URLs).
 */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}
