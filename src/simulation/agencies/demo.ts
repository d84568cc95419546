// The SIMULATED reference agencies: the inquiries Iran's exchange carries most, each agency in its
// own file and all answering from one synthetic population (synthetic*.ts), so that one citizen has
// the same name, address, mobile, spouse and vehicles in every agency. The demo serves them all;
// the 1399 scenario (../scenario) serves them together with its generated services.
import type { Agency, OpenApiDocument } from './agency.ts';
import { cbiAgency } from './cbi.ts';
import { ciiAgency } from './cii.ts';
import { conscriptionAgency } from './conscription.ts';
import { craAgency } from './cra.ts';
import { intaAgency } from './inta.ts';
import { judiciaryAgency } from './judiciary.ts';
import { mfaAgency } from './mfa.ts';
import { moeAgency } from './moe.ts';
import { msrtAgency } from './msrt.ts';
import { nocrAgency } from './nocr.ts';
import { policeAgencies } from './police.ts';
import { postAgency } from './post.ts';
import { sciAgency } from './sci.ts';
import { serviceBasePath } from './server.ts';
import { DEFAULT_SEED } from './synthetic.ts';

/**
 * The reference agencies for a given synthetic population (one Agency per provider subsystem).
 * `divisionsCsv`: the statistical centre's file of deeper country divisions (the sample if absent).
 */
export function demoAgencies(seed: string | number = DEFAULT_SEED, divisionsCsv?: string): Agency[] {
  return [
    nocrAgency(seed), postAgency(seed), craAgency(seed),
    msrtAgency(seed), moeAgency(seed),
    cbiAgency(seed), intaAgency(seed),
    ...policeAgencies(seed), conscriptionAgency(seed),
    judiciaryAgency(seed), mfaAgency(seed), ciiAgency(seed),
    sciAgency(divisionsCsv),
  ];
}

export interface DemoContract {
  readonly memberClass: 'GOV';
  readonly memberCode: string;
  readonly subsystemCode: string;
  readonly serviceCode: string;
  readonly titleEn: string;
  readonly titleFa: string;
  /** `/NOCR/identity/person`; with `baseUrl`, the full URL the registry stores for the service. */
  readonly url: string;
  readonly contract: OpenApiDocument;
}

/**
 * What registering the demo services needs: identifiers, titles, contract and URL.
 * `baseUrl` is where the agency server listens, e.g. `http://127.0.0.1:8081`. Without `agencies`,
 * those of the default population, built on this call: no module builds synthetic data when it is
 * imported, so a command that never serves the demo never pays for it.
 */
export function demoContracts(baseUrl = '', agencies: readonly Agency[] = demoAgencies()): DemoContract[] {
  const root = baseUrl.replace(/\/+$/, '');
  return agencies.flatMap((agency) =>
    agency.services.map((service) => ({
      memberClass: agency.memberClass,
      memberCode: agency.memberCode,
      subsystemCode: agency.subsystemCode,
      serviceCode: service.serviceCode,
      titleEn: service.titleEn,
      titleFa: service.titleFa,
      url: root + serviceBasePath(agency, service),
      contract: service.contract,
    })),
  );
}
