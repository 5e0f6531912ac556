import type { StreamInfo } from '@plugin-interfaces/spec';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_LIMIT, StreamItem } from './StreamItem.js';

const base: StreamInfo = {
  stream_id: 's',
  state: 'active',
  content: 'a **bold** move',
  title: 'T',
  error: null,
};
const noop = () => undefined;

describe('StreamItem', () => {
  it('shows a growing stream as plain text and formats it once it has ended', () => {
    const { rerender, container } = render(<StreamItem stream={base} onControl={noop} />);
    expect(container.querySelector('strong')).toBeNull();
    expect(screen.getByText('a **bold** move')).toBeTruthy();
    rerender(<StreamItem stream={{ ...base, state: 'completed' }} onControl={noop} />);
    expect(container.querySelector('strong')?.textContent).toBe('bold');
  });

  it('keeps a very long finished stream as plain text', () => {
    const content = `**x** ${'y'.repeat(MARKDOWN_LIMIT)}`;
    const { container } = render(
      <StreamItem stream={{ ...base, state: 'completed', content }} onControl={noop} />,
    );
    expect(container.querySelector('strong')).toBeNull();
    expect(container.querySelector('.pi-stream-text')?.textContent).toBe(content);
  });
});

describe('StreamItem when a long stream has finished', () => {
  const long = Array.from({ length: 3000 }, (_, i) => `chunk ${i + 1}`).join('\n');

  it('collapses it behind a Show all expander that reveals the whole text', () => {
    const { container } = render(
      <StreamItem stream={{ ...base, state: 'completed', content: long }} onControl={noop} />,
    );
    const body = container.querySelector('.pi-stream-body') as HTMLElement;
    expect(body.dataset.collapsed).toBe('true');
    const button = screen.getByRole('button', { name: 'Show all (3000 lines)' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(body.dataset.collapsed).toBeUndefined();
    expect(screen.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('leaves a short finished stream open, without an expander', () => {
    render(<StreamItem stream={{ ...base, state: 'completed' }} onControl={noop} />);
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });
});
