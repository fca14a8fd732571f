import { z } from 'zod';
import { method } from './method';

// Contract methods of the efficacy feature (merged into shared/contract.ts).
export const efficacyApi = {} as const;
void z;
void method;
