// DoseDesk's palette: one neutral scale, one accent, and the colours that carry clinical meaning.
// Every view takes its colours from here so that a dose level, a response category or a CTCAE
// grade looks the same on the Cohorts table, the swimmer, the spider and the waterfall plots.

/** Neutral greys (text, borders, surfaces) and the single accent used for selection and actions. */
export const palette = {
  text: '#1d2430',
  textMuted: '#5b6472',
  border: '#d9dde3',
  surface: '#ffffff',
  background: '#f4f6f8',
  accent: '#1f5fae',
  accentSoft: '#e8f0fa',
  danger: '#b42318',
  dangerSoft: '#fdecea',
  warning: '#8a5a00',
  warningSoft: '#fff6e0',
  success: '#1e7a46',
  successSoft: '#e7f5ec',
} as const;

/**
 * Dose-level colours, lowest dose first: cool to warm, so that the order of the levels reads from
 * the colour alone, and each neighbour is distinguishable for the common colour-vision deficiencies
 * (hues spaced after Okabe & Ito 2008 and Tableau 10). Level n (1-based) takes DOSE_LEVEL_COLORS[n-1];
 * beyond the list the colours repeat.
 */
export const DOSE_LEVEL_COLORS = [
  '#4c78a8', // 1 steel blue
  '#2a9d8f', // 2 teal
  '#6a9f3a', // 3 green
  '#c9a100', // 4 ochre
  '#e8772e', // 5 orange
  '#d1495b', // 6 red
  '#9b4f96', // 7 purple
  '#6d4c41', // 8 brown
  '#3d5a80', // 9 navy
  '#7f8c8d', // 10 grey
] as const;

/** The placebo row (level 0). */
export const PLACEBO_COLOR = '#4f5d75';

export function doseLevelColor(level: number): string {
  if (level === 0) return PLACEBO_COLOR;
  const i = (((Math.round(level) - 1) % DOSE_LEVEL_COLORS.length) + DOSE_LEVEL_COLORS.length) % DOSE_LEVEL_COLORS.length;
  return DOSE_LEVEL_COLORS[i]!;
}

/** RECIST 1.1 response categories (time-point and best overall response). */
export const RESPONSE_COLORS: Record<'CR' | 'PR' | 'SD' | 'PD' | 'NE', string> = {
  CR: '#1e7a46',
  PR: '#55a868',
  SD: '#c9a100',
  PD: '#b42318',
  NE: '#8a939f',
};

/** CTCAE grades 1-5 (light to dark: severity reads as weight). */
export const GRADE_COLORS: Record<1 | 2 | 3 | 4 | 5, string> = {
  1: '#f3d9a4',
  2: '#e9a25f',
  3: '#d1495b',
  4: '#8e1b2e',
  5: '#2b1a1f',
};

/** Study parts: escalation is drawn solid, expansion with the same level colour but outlined. */
export const PART_LABELS = { escalation: 'Escalation', expansion: 'Expansion' } as const;
