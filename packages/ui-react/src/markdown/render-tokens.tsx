import type { Token } from 'markdown-it';
import { type CSSProperties, createElement, Fragment, type ReactNode } from 'react';
import { safeHref } from './safe-url.js';

/** Block and inline tags a token may map to; anything else renders its children only. */
const ALLOWED_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'em',
  'strong',
  's',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);

interface Frame {
  readonly token: Token | null;
  readonly children: ReactNode[];
}

/**
 * Turn a markdown-it token stream into React elements. Every string ends up as a text node, so
 * nothing the Markdown contains is ever parsed as HTML.
 */
export function renderTokens(tokens: readonly Token[]): ReactNode[] {
  const stack: Frame[] = [{ token: null, children: [] }];
  for (const token of tokens) {
    if (token.nesting === 1) {
      stack.push({ token, children: [] });
      continue;
    }
    if (token.nesting === -1) {
      const frame = stack.length > 1 ? stack.pop() : undefined;
      if (frame?.token) stack.at(-1)?.children.push(container(frame.token, frame.children));
      continue;
    }
    stack.at(-1)?.children.push(leaf(token));
  }
  // Unclosed containers (never produced by markdown-it, but be total): flatten them.
  while (stack.length > 1) {
    const frame = stack.pop();
    if (frame?.token) stack.at(-1)?.children.push(container(frame.token, frame.children));
  }
  return stack[0]?.children ?? [];
}

function container(token: Token, children: ReactNode[]): ReactNode {
  if (token.type === 'link_open') {
    const href = safeHref(String(token.attrGet('href') ?? ''));
    if (href === null) return createElement(Fragment, null, ...children);
    return createElement('a', { href, rel: 'noopener noreferrer', target: '_blank' }, ...children);
  }
  if (token.type === 'paragraph_open' && token.hidden) return createElement(Fragment, null, ...children);
  if (!ALLOWED_TAGS.has(token.tag)) return createElement(Fragment, null, ...children);
  const props: { start?: number; style?: CSSProperties } = {};
  const start = Number(token.attrGet('start'));
  if (token.tag === 'ol' && Number.isInteger(start)) props.start = start;
  const align = /text-align:(left|right|center)/.exec(String(token.attrGet('style') ?? ''))?.[1];
  if (align === 'left' || align === 'right' || align === 'center') props.style = { textAlign: align };
  return createElement(token.tag, props, ...children);
}

function leaf(token: Token): ReactNode {
  switch (token.type) {
    case 'inline':
      return createElement(Fragment, null, ...renderTokens(token.children ?? []));
    case 'text':
      return token.content;
    case 'softbreak':
      return '\n';
    case 'hardbreak':
      return createElement('br');
    case 'hr':
      return createElement('hr');
    case 'code_inline':
      return createElement('code', null, token.content);
    case 'fence':
    case 'code_block': {
      const lang = /^[\w+-]+/.exec(token.info.trim())?.[0];
      const code = createElement('code', lang ? { className: `language-${lang}` } : null, token.content);
      return createElement('pre', null, code);
    }
    case 'image':
      // Images are not loaded (no remote requests from plugin content): show the alt text.
      return createElement('span', { className: 'pi-md-image-alt' }, ...renderTokens(token.children ?? []));
    default:
      return token.content;
  }
}
