import { useEffect, useRef, useState, type RefObject } from 'react';

// A section below the fold asks the core for its data when it comes near the screen, not with the
// view: the view's first plot or grid draws without waiting for it (the Laboratory view's ECG
// section sent 13 MB and drew 65,000 points at 10,000 subjects before anything else could draw).
// Once near, it stays loaded. Where IntersectionObserver is missing, it loads at once.

export function useNearScreen<T extends Element>(margin = '600px'): [RefObject<T | null>, boolean] {
  const ref = useRef<T | null>(null);
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (near || !ref.current) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setNear(true);
    }, { rootMargin: margin });
    io.observe(ref.current);
    return () => io.disconnect();
  }, [near, margin]);
  return [ref, near];
}
