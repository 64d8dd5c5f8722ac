import './zod-config.ts';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './App.tsx';
import { queryClient, TRPCProvider, trpcClient } from './trpc.ts';
import './styles.css';

// Where the old app's pages take `/` (LEGACY_STATIC_DIR), the API serves this app at `/app/`; its links and
// routes then live under that prefix.
const base = /^\/app(\/|$)/.test(window.location.pathname) ? '/app' : '';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <Router base={base}>
          <App />
        </Router>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
