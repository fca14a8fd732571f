import type { Db } from '../store/db';
import type { StudyDefinition } from '../../../shared/study';
import type { MappingEntry } from '../../../shared/mapping';
import { importMappingEntries } from './import';
import { pkMapping } from '../pk/mapping';
import { safetyMapping } from '../safety/mapping';
import { efficacyMappingContributor } from '../efficacy/mapping';
import { labsMapping } from '../labs/mapping';
import { ecgMapping } from '../ecg/mapping';
import { exposureMapping } from '../exposure/mapping';
import { cmMapping } from '../cm/mapping';

// Each analysis that reads a domain says what it used and what it did not (shared/mapping.ts). A
// contributor is a plain function of the stored snapshot and the study definition; the mapping report
// is the concatenation of every contributor's entries, in this order.

export type MappingContributor = (db: Db, snapshotId: number, definition: StudyDefinition) => MappingEntry[];

export const mappingContributors: readonly MappingContributor[] = [importMappingEntries, pkMapping, safetyMapping, efficacyMappingContributor, labsMapping, ecgMapping, exposureMapping, cmMapping];
