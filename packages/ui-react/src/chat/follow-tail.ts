import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';

/** How close to the bottom (in px) still counts as "at the newest content". */
export const TAIL_SLACK_PX = 24;

/** What {@link useFollowTail} gives a scrolling box. */
export interface FollowTail<T extends HTMLElement> {
  readonly ref: RefObject<T | null>;
  /** Attach to the box's `onScroll`: scrolling up stops following, back to the bottom resumes it. */
  readonly onScroll: () => void;
  /** Scroll to the newest content and follow it again (e.g. after the user sent a message). */
  readonly follow: () => void;
  /** False while the user has scrolled away from the newest content. */
  readonly following: boolean;
}

/**
 * Keep a scrolling box pinned to its newest content while it grows, until the user scrolls up;
 * scrolling back to the bottom (or {@link FollowTail.follow}) pins it again. Whether the box
 * follows is decided by the user's last scroll, never by measuring after the content has grown,
 * so a burst of content cannot push the box out of follow mode.
 */
export function useFollowTail<T extends HTMLElement>(contentSignature: unknown): FollowTail<T> {
  const ref = useRef<T | null>(null);
  const followingRef = useRef(true);
  /** Where this hook last put the scroll position; content growth never moves it up. */
  const lastTop = useRef(0);
  const [following, setFollowing] = useState(true);
  const setBoth = useCallback((value: boolean) => {
    if (followingRef.current === value) return;
    followingRef.current = value;
    setFollowing(value);
  }, []);
  const pin = useCallback((el: T) => {
    el.scrollTop = el.scrollHeight;
    lastTop.current = el.scrollTop;
  }, []);
  const onScroll = useCallback(() => {
    const el = ref.current;
    if (el === null) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= TAIL_SLACK_PX;
    // Only a move up (the user's) stops following: a scroll event that arrives after more
    // content was appended still reports the position this hook set, or one below it.
    if (atBottom) setBoth(true);
    else if (el.scrollTop < lastTop.current - 1) setBoth(false);
    lastTop.current = el.scrollTop;
  }, [setBoth]);
  const follow = useCallback(() => {
    setBoth(true);
    const el = ref.current;
    if (el !== null) pin(el);
  }, [setBoth, pin]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-pin whenever the content changes
  useLayoutEffect(() => {
    const el = ref.current;
    if (el !== null && followingRef.current) pin(el);
  }, [contentSignature]);
  return { ref, onScroll, follow, following };
}
