// Unmounts rendered components and clears storage between component tests (vitest runs without globals).
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  // The end-to-end test runs in node, without a DOM.
  if (typeof window === 'undefined') return;
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
  window.location.hash = '';
});
