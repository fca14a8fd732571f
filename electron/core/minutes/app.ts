import { CallError, type App } from '../app';

// Handlers of the signed minutes (issue 5 "Minutes"; shared/api/minutes.ts). Work in progress.
export function registerMinutes(app: App): void {
  app.method('minutes.export', () => {
    throw new CallError('internal', 'minutes.export: not implemented yet');
  });
  app.method('minutes.verify', () => {
    throw new CallError('internal', 'minutes.verify: not implemented yet');
  });
}
