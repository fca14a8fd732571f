import { describe, expect, it } from 'vitest';
import { displayUnit } from '../../shared/units';

// Expected spellings: the SI Brochure (BIPM, 9th ed. 2019, §3, table 7: prefix micro = µ; §5.4.6:
// a product of units is written with a half-high dot) against the ASCII spellings of the CDISC UNIT
// code list as sponsors export them in PCSTRESU / PPSTRESU / LBSTRESU (CDISC pilot: "ug/mL"; admiral's
// pharmaversesdtm pc: "ug/mL"; PP: "h*ug/mL"; LB: "umol/L", "ug/L", "uIU/mL").
describe('displayUnit', () => {
  it('writes micro as µ', () => {
    expect(displayUnit('ug/mL')).toBe('µg/mL');
    expect(displayUnit('ng/mL')).toBe('ng/mL');
    expect(displayUnit('umol/L')).toBe('µmol/L');
    expect(displayUnit('ug/L')).toBe('µg/L');
    expect(displayUnit('uIU/mL')).toBe('µIU/mL');
    expect(displayUnit('uL')).toBe('µL');
    expect(displayUnit('mcg/kg')).toBe('µg/kg');
    expect(displayUnit('mg/kg')).toBe('mg/kg');
  });
  it('writes a product with the middle dot', () => {
    expect(displayUnit('h*ug/mL')).toBe('h·µg/mL');
    expect(displayUnit('h*ng/mL')).toBe('h·ng/mL');
    expect(displayUnit('h * ug/mL')).toBe('h·µg/mL');
  });
  it('leaves units without a micro prefix alone', () => {
    // U/L (enzyme units), 1/h, L/h, %, mL/min/1.73m2, "umbrella"-like words are not units with a prefix.
    for (const u of ['U/L', '1/h', 'L/h', '%', 'mL/min/1.73m2', 'h', 'titer', 'mmol/L', 'g/dL', '10^9/L']) expect(displayUnit(u)).toBe(u);
    expect(displayUnit('umbrella')).toBe('umbrella');
  });
  it('gives an empty string for a missing unit', () => {
    expect(displayUnit(null)).toBe('');
    expect(displayUnit(undefined)).toBe('');
    expect(displayUnit('  ')).toBe('');
  });
});
