import { useEffect, useState } from 'react';
import { parseRoute, type Route } from './routes';

/** The current route, following the location hash (back, forward and deep links work). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    update();
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Goes to a hash route. */
export function navigate(hash: string): void {
  window.location.hash = hash;
}
