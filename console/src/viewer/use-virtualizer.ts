/**
 * @tanstack/virtual-core for Preact: what @tanstack/react-virtual's `useWindowVirtualizer` does.
 * The list scrolls with the window (no scroll box inside the page: every row the window has room
 * for shows); the virtualizer says which rows are in view, and the component re-renders when that
 * changes (on scroll, on resize).
 */
import { observeWindowOffset, observeWindowRect, Virtualizer, windowScroll, type VirtualizerOptions } from '@tanstack/virtual-core';
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';

type Options = Omit<VirtualizerOptions<Window, HTMLElement>, 'getScrollElement' | 'observeElementRect' | 'observeElementOffset' | 'scrollToFn' | 'initialOffset'>;

export function useWindowVirtualizer(options: Options): Virtualizer<Window, HTMLElement> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const resolved: VirtualizerOptions<Window, HTMLElement> = {
    getScrollElement: () => window,
    observeElementRect: observeWindowRect,
    observeElementOffset: observeWindowOffset,
    scrollToFn: windowScroll,
    initialOffset: () => window.scrollY,
    ...options,
    onChange: (instance, sync) => {
      // Preact renders a state change in a microtask: before the next frame is painted.
      rerender(0);
      options.onChange?.(instance, sync);
    },
  };
  const [instance] = useState(() => new Virtualizer<Window, HTMLElement>(resolved));
  instance.setOptions(resolved);
  useLayoutEffect(() => instance._didMount(), []);
  useLayoutEffect(() => {
    instance._willUpdate();
  });
  return instance;
}
