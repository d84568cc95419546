// The SIMULATED agencies of the demo: civil registration, post and Shahkar, all answering from the
// same synthetic population (synthetic.ts) so that one citizen looks the same everywhere.
import type { Agency, OpenApiDocument } from './agency.ts';
import { craAgency } from './cra.ts';
import { nocrAgency } from './nocr.ts';
import { postAgency } from './post.ts';
import { serviceBasePath } from './server.ts';
import { DEFAULT_SEED } from './synthetic.ts';

/** The three demo agencies for a given synthetic population. */
export function demoAgencies(seed: string | number = DEFAULT_SEED): Agency[] {
  return [nocrAgency(seed), postAgency(seed), craAgency(seed)];
}

export const DEMO_AGENCIES: readonly Agency[] = demoAgencies();

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
 * `baseUrl` is where the agency server listens, e.g. `http://127.0.0.1:8081`.
 */
export function demoContracts(baseUrl = '', agencies: readonly Agency[] = DEMO_AGENCIES): DemoContract[] {
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
