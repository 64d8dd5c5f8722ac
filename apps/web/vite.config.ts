import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs on its own port; `pnpm start` serves the built app from the API instead.
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/trpc': api, '/calendar': api, '/healthz': api, '/readyz': api } },
});
