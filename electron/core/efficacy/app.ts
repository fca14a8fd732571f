import type { App } from '../app';

// Handlers of the efficacy feature.
export function registerEfficacy(app: App): void {
  void app;
}
