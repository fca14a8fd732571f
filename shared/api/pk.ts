import { z } from 'zod';
import { method } from './method';

// Contract methods of the pk feature (merged into shared/contract.ts).
export const pkApi = {} as const;
void z;
void method;
