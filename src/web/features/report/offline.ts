/**
 * Registers the service worker (built by vite.config.ts from src/web/service-worker.js) that keeps
 * the reporting pages available offline. Only these pages register it: a reader of the home page
 * does not pay for files kept for reporting. Not in development, where Vite serves unbuilt modules.
 */
export function registerOfflineSupport(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // The pages work without it, only not offline; say so where a developer will look.
    console.warn('The service worker could not be registered; the reporting pages will not open offline.', error);
  });
}
