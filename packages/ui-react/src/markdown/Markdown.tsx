import MarkdownIt, { type MarkdownIt as MarkdownParser } from 'markdown-it';
import { type ReactNode, useMemo } from 'react';
import { renderTokens } from './render-tokens.js';

let parser: MarkdownParser | undefined;
function markdown(): MarkdownParser {
  parser ??= new MarkdownIt({ html: false, linkify: true, typographer: false });
  return parser;
}

/** Props of {@link Markdown}. */
export interface MarkdownProps {
  /** The Markdown text, e.g. a plugin message. */
  readonly source: string;
  readonly className?: string;
}

/**
 * Render untrusted Markdown as React elements. Raw HTML is shown as text, only http(s) and
 * mailto links become anchors (opened in a new tab with `noopener noreferrer`), and images are
 * shown as their alt text. No HTML string is ever injected into the page.
 */
export function Markdown({ source, className }: MarkdownProps): ReactNode {
  const content = useMemo(() => renderTokens(markdown().parse(source, {})), [source]);
  return <div className={['pi-markdown', className].filter(Boolean).join(' ')}>{content}</div>;
}
