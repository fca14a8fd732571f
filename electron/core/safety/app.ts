import type { App } from '../app';

// Handlers of the safety feature.
export function registerSafety(app: App): void {
  void app;
}
