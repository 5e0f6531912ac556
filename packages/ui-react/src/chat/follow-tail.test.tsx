import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useFollowTail } from './follow-tail.js';

/** jsdom has no layout: give the box a fixed viewport and a height that follows its content. */
function layout(el: HTMLElement, contentHeight: () => number): void {
  let top = 0;
  Object.defineProperty(el, 'clientHeight', { value: 100, configurable: true });
  Object.defineProperty(el, 'scrollHeight', { get: contentHeight, configurable: true });
  Object.defineProperty(el, 'scrollTop', {
    get: () => top,
    set: (v: number) => {
      top = Math.max(0, Math.min(v, contentHeight() - 100));
    },
    configurable: true,
  });
}

function Box({ lines }: { readonly lines: number }) {
  const tail = useFollowTail<HTMLDivElement>(lines);
  return (
    <div>
      <div data-testid="box" ref={tail.ref} onScroll={tail.onScroll} />
      <span data-testid="following">{String(tail.following)}</span>
    </div>
  );
}

describe('useFollowTail', () => {
  it('keeps the box at the newest content while it grows, even when a late scroll event arrives', () => {
    let lines = 10;
    const view = render(<Box lines={lines} />);
    const box = view.getByTestId('box');
    layout(box, () => lines * 20);
    for (lines = 11; lines <= 40; lines++) {
      view.rerender(<Box lines={lines} />);
      if (lines % 5 === 0) fireEvent.scroll(box);
    }
    expect(box.scrollTop).toBe(40 * 20 - 100);
    expect(view.getByTestId('following').textContent).toBe('true');
  });

  it('stops following when the user scrolls up, and resumes at the bottom', () => {
    let lines = 20;
    const view = render(<Box lines={lines} />);
    const box = view.getByTestId('box');
    layout(box, () => lines * 20);
    view.rerender(<Box lines={++lines} />);
    box.scrollTop = 0;
    fireEvent.scroll(box);
    view.rerender(<Box lines={++lines} />);
    expect(box.scrollTop).toBe(0);
    expect(view.getByTestId('following').textContent).toBe('false');
    box.scrollTop = lines * 20;
    fireEvent.scroll(box);
    view.rerender(<Box lines={++lines} />);
    expect(box.scrollTop).toBe(lines * 20 - 100);
  });
});
