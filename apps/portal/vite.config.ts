import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The portal is a static single-page app; the server serves dist/ at `/` and index.html for other non-API paths.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:8470' } },
});
