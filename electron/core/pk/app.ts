import type { App } from '../app';

// Handlers of the pk feature.
export function registerPk(app: App): void {
  void app;
}
