import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchLibrariesAfterFirstView } from './prefetch';
import './styles.css';

// The start-up bundle is evaluated: the bench's cold start reads this mark beside the Cohorts view's drawn mark.
performance.mark('app:start');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
prefetchLibrariesAfterFirstView();
