import type { StreamInfo } from '@plugin-interfaces/spec';
import { render, screen } from '@testing-library/react';
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
