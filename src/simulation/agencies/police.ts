// SIMULATED police agencies for demonstration — not the real FARAJA (فرماندهی انتظامی). The police
// provide two subsystems: traffic (vehicles, driving licences) and amaken, the office of public
// places (premises approvals). The police are also a consumer (licensing), registered elsewhere
// (consumers.ts); one member may both provide and consume.
import type { Agency } from './agency.ts';
import { licenceService } from './police-licence.ts';
import { premisesService } from './police-premises.ts';
import { vehicleService } from './police-vehicle.ts';
import { DEFAULT_SEED } from './synthetic.ts';

const MEMBER = {
  memberClass: 'GOV',
  memberCode: 'POLICE',
  nameEn: 'Police (FARAJA) (simulated)',
  nameFa: 'فرماندهی انتظامی جمهوری اسلامی ایران (شبیه‌سازی)',
} as const;

export function policeAgencies(seed: string | number = DEFAULT_SEED): Agency[] {
  return [
    { ...MEMBER, subsystemCode: 'traffic', services: [vehicleService(seed), licenceService(seed)] },
    { ...MEMBER, subsystemCode: 'amaken', services: [premisesService(seed)] },
  ];
}
