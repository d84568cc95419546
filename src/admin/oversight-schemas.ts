// The shapes of the admin API's oversight routes (src/admin/oversight-routes.ts): service levels,
// savings, baselines, mandates and the UN e-government survey. Inputs are the registry's own
// schemas (src/registry/oversight-data.ts), so the API and the registry's checks cannot drift;
// answers are described field by field with no field left open, as in schemas.ts, so that the test
// of the document catches an undeclared one.
import { Type } from 'typebox';
import {
  BASE_YEAR_MAX, BASE_YEAR_MIN, BaselineInput, MandateCondition, MandateInput, SavingsInput, SlaInput, SurveyServiceInput,
} from '../registry/oversight-data.ts';

export { BaselineInput, MandateInput, SavingsInput, SlaInput, SurveyServiceInput };

const text = Type.String({ minLength: 1 });
const instant = Type.String({ description: 'ISO 8601 instant, UTC' });
const serviceId = Type.String({ description: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE' });

export const ServiceLevel = Type.Object({
  serviceId,
  ...SlaInput.properties,
  enforcedRatePerSecond: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The rate the door enforces now; equal to maxRatePerSecond unless the service was re-registered with another',
  }),
  createdAt: instant,
  updatedAt: instant,
}, { additionalProperties: false, description: 'A service\'s SLA document' });

export const ServiceSavings = Type.Object({
  serviceId,
  ...SavingsInput.properties,
  updatedAt: instant,
}, { additionalProperties: false, description: 'What one answered inquiry of the service replaces' });

export const VisitBaseline = Type.Object({
  memberId: Type.String({ description: 'INSTANCE/CLASS/MEMBER' }),
  year: Type.Integer({ description: 'Jalali base year' }),
  visits: Type.Integer({ minimum: 0 }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: instant,
  updatedAt: instant,
}, { additionalProperties: false, description: 'Citizens\' in-person visits an agency declared for a base year' });

export const Mandate = Type.Object({
  id: Type.String(),
  titleFa: Type.String(),
  titleEn: Type.String(),
  resolution: Type.String(),
  responsibleMember: Type.Union([Type.String(), Type.Null()], { description: 'INSTANCE/CLASS/MEMBER; null: every agency' }),
  deadline: Type.String({ description: 'Jalali date YYYY/MM/DD' }),
  condition: MandateCondition,
  createdAt: instant,
  updatedAt: instant,
}, { additionalProperties: false, description: 'A working-group resolution with its deadline and measurable condition' });

export const SurveyService = Type.Object({
  code: Type.String(),
  titleFa: Type.String(),
  titleEn: Type.String(),
  services: Type.Array(serviceId, { description: 'The Tabadol services that provide it; empty: not online through the exchange' }),
  createdAt: instant,
  updatedAt: instant,
}, { additionalProperties: false, description: 'A service the UN e-government survey looks for' });

// --- Path parameters (identifiers percent-encoded as one segment).

export const ServiceParam = Type.Object({ id: text });
export const BaselineParams = Type.Object({
  id: text,
  year: Type.Integer({ minimum: BASE_YEAR_MIN, maximum: BASE_YEAR_MAX, description: 'Jalali base year, four digits' }),
});
export const MandateParam = Type.Object({ id: text });
export const SurveyParam = Type.Object({ code: text });
