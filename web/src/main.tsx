import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { loadRuntimeConfig } from './config/runtime-config';
import { createShopServices } from './create-shop-services';
import './styles.css';

/** Reads `config.json`, then starts the shop; without it, says so instead of showing a blank page. */
async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  try {
    const services = createShopServices(await loadRuntimeConfig());
    services.tracker.start();
    root.render(
      <StrictMode>
        <App services={services} />
      </StrictMode>,
    );
  } catch (error) {
    root.render(
      <main className="page">
        <h1>The shop cannot open right now</h1>
        <p role="alert" className="alert">
          {error instanceof Error ? error.message : 'Its configuration could not be read.'}
        </p>
      </main>,
    );
  }
}

void start();
