import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown.js';

const renderMd = (source: string) => render(<Markdown source={source} />).container;

describe('Markdown', () => {
  it('shows a <script> tag as text and creates no script element', () => {
    const c = renderMd('Hi <script>alert(1)</script> <img src=x onerror=alert(2)>');
    expect(c.querySelector('script')).toBeNull();
    expect(c.querySelector('img')).toBeNull();
    expect(c.textContent).toContain('<script>alert(1)</script>');
  });

  it('does not turn a javascript: link into an anchor', () => {
    const c = renderMd('[click me](javascript:alert(1)) and <javascript:alert(2)>');
    expect(c.querySelector('a')).toBeNull();
    expect(c.textContent).toContain('click me');
  });

  it('does not link data: or relative URLs', () => {
    const c = renderMd('[a](data:text/html,hi) [b](/local) [c](//evil.example)');
    expect(c.querySelectorAll('a')).toHaveLength(0);
  });

  it('links http(s) and mailto safely in a new tab', () => {
    renderMd('[site](https://example.com/x) [mail](mailto:a@example.com) http://auto.example');
    const site = screen.getByRole('link', { name: 'site' });
    expect(site.getAttribute('href')).toBe('https://example.com/x');
    expect(site.getAttribute('rel')).toBe('noopener noreferrer');
    expect(site.getAttribute('target')).toBe('_blank');
    expect(screen.getByRole('link', { name: 'mail' }).getAttribute('href')).toBe('mailto:a@example.com');
    expect(screen.getByRole('link', { name: 'http://auto.example' })).toBeDefined();
  });

  it('renders headings, emphasis, lists, quotes and code', () => {
    const c = renderMd(
      [
        '## Title',
        '',
        'Some *soft* and **bold** and `x < y` text.',
        '',
        '1. one',
        '2. two',
        '',
        '- a',
        '- b',
        '',
        '> quoted',
        '',
        '```ts',
        'const a = "<b>";',
        '```',
      ].join('\n'),
    );
    expect(screen.getByRole('heading', { level: 2, name: 'Title' })).toBeDefined();
    expect(c.querySelector('em')?.textContent).toBe('soft');
    expect(c.querySelector('strong')?.textContent).toBe('bold');
    expect(c.querySelector('p > code')?.textContent).toBe('x < y');
    expect([...c.querySelectorAll('ol > li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect([...c.querySelectorAll('ul > li')].map((li) => li.textContent)).toEqual(['a', 'b']);
    expect(c.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    const code = c.querySelector('pre > code');
    expect(code?.className).toBe('language-ts');
    expect(code?.textContent).toBe('const a = "<b>";\n');
    expect(c.querySelector('b')).toBeNull();
  });

  it('renders tables with their alignment', () => {
    const c = renderMd('| a | b |\n|:--|--:|\n| 1 | 2 |');
    expect([...c.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['a', 'b']);
    expect(c.querySelector('td:last-child')?.getAttribute('style')).toBe('text-align: right;');
  });

  it('shows an image as its alt text without loading it', () => {
    const c = renderMd('![a cat](https://example.com/cat.png)');
    expect(c.querySelector('img')).toBeNull();
    expect(c.textContent).toBe('a cat');
  });
});
