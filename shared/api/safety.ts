import { z } from 'zod';
import { method } from './method';

// Contract methods of the safety feature (merged into shared/contract.ts).
export const safetyApi = {} as const;
void z;
void method;
