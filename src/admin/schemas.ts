// The shapes the admin API takes and answers, one TypeBox schema each. The same schema validates a
// request, types the handler (through the TypeBox type provider, so handlers need no casts) and
// is published in /openapi.json. Answers are described field by field, with no field left open
// (additionalProperties: false), so that a field added to a registry row without being declared
// here is caught by the test that checks every answer against the document.
import { Type, type Static, type TSchema } from 'typebox';

/** A schema registered once (app.addSchema) and referred to by name: one entry of components.schemas. */
export interface Component<T extends TSchema> {
  readonly schema: T;
  /** A `$ref` to the component that keeps the static type of the schema it names. */
  readonly ref: (options?: { description?: string }) => ReturnType<typeof Type.Unsafe<Static<T>>>;
}

function component<T extends TSchema>(name: string, schema: T): Component<T> {
  const named = { ...schema, $id: name } as T;
  return { schema: named, ref: (options) => Type.Unsafe<Static<T>>(Type.Ref(name, options)) };
}

const text = Type.String({ minLength: 1 });
const instant = Type.String({ description: 'ISO 8601 instant, UTC' });
const optionalText = Type.Union([Type.String(), Type.Null()]);

// --- Refusals.

export const AdminError = component('AdminError', Type.Object({
  type: Type.String({ description: 'The coded error type, e.g. Admin.NotFound' }),
  message: Type.String({ description: 'A sentence a person can act on' }),
  detail: Type.String({ description: 'The id of the node\'s log entry for this answer' }),
}, { additionalProperties: false, description: 'Every refusal of the admin API' }));

// --- Registry objects, as the registry answers them (src/registry/registry.ts, src/store/schema.ts).

export const Member = component('Member', Type.Object({
  id: Type.String({ description: 'INSTANCE/CLASS/MEMBER' }),
  instance: Type.String(),
  member_class: Type.String(),
  member_code: Type.String(),
  name: Type.String(),
  name_fa: optionalText,
  created_at: instant,
}, { additionalProperties: false }));

export const Subsystem = component('Subsystem', Type.Object({
  id: Type.String({ description: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM' }),
  member_id: Type.String(),
  subsystem_code: Type.String(),
  name: optionalText,
  home_node: Type.Union([Type.String(), Type.Null()], { description: 'The node whose providers serve its services; null: the registry\'s central node' }),
  standby_nodes: Type.Union([Type.String(), Type.Null()], { description: 'Nodes that also serve it, comma-separated, in the order exchanges fail over to them; null: none' }),
  province: Type.Union([Type.String(), Type.Null()], { description: 'Province code 00–30 it serves from; null: national' }),
  created_at: instant,
}, { additionalProperties: false }));

const serviceFields = {
  id: Type.String({ description: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE' }),
  subsystem_id: Type.String(),
  service_code: Type.String(),
  title: Type.String(),
  base_url: Type.String(),
  timeout_ms: Type.Integer(),
  max_rate_per_second: Type.Union([Type.Integer(), Type.Null()]),
  updated_at: instant,
};

/** An OpenAPI 3.1 document; the registry checks it (Admin.InvalidContract), not this schema. */
const contract = Type.Unsafe<unknown>({ type: 'object', description: 'The service\'s OpenAPI 3.1 contract' });

export const ServiceSummary = component('ServiceSummary', Type.Object(serviceFields, { additionalProperties: false }));

export const Service = component('Service', Type.Object({
  ...serviceFields,
  contract,
  created_at: instant,
}, { additionalProperties: false }));

export const Group = component('Group', Type.Object({
  id: Type.String({ description: 'INSTANCE/GROUPCODE' }),
  description: Type.String(),
  created_at: instant,
  members: Type.Array(Type.String(), { description: 'Subsystem ids' }),
}, { additionalProperties: false }));

export const AccessRight = component('AccessRight', Type.Object({
  id: Type.Integer(),
  subject_id: Type.String({ description: 'A subsystem id or a group id' }),
  subject_type: Type.Enum(['subsystem', 'group']),
  service_id: Type.String(),
  method: Type.Union([Type.String(), Type.Null()], { description: 'null: the whole service' }),
  path: Type.Union([Type.String(), Type.Null()], { description: 'OpenAPI path template, with method' }),
  legal_basis: Type.String(),
  valid_from: instant,
  valid_until: Type.Union([instant, Type.Null()]),
  created_at: instant,
}, { additionalProperties: false }));

export const Certificate = component('Certificate', Type.Object({
  serial: Type.String({ description: 'Upper-case hexadecimal' }),
  subsystem_id: Type.String(),
  not_before: instant,
  not_after: instant,
  issued_at: instant,
  revoked_at: Type.Union([instant, Type.Null()]),
  revoked_reason: optionalText,
}, { additionalProperties: false }));

export const RevokedCertificate = component('RevokedCertificate', Type.Object({
  serial: Type.String(),
  subsystemId: Type.String(),
  notAfter: instant,
}, { additionalProperties: false }));

export const ProviderHost = component('ProviderHost', Type.Object({
  entry: Type.String({ description: 'HOST or HOST:PORT' }),
  host: Type.String(),
  port: Type.Union([Type.Integer(), Type.Null()], { description: 'null: every port but the node\'s own' }),
  note: Type.String(),
  createdAt: instant,
}, { additionalProperties: false }));

export const Change = component('Change', Type.Object({
  id: Type.Integer(),
  at: instant,
  actor: Type.String(),
  action: Type.String({ description: 'e.g. member.add, access.grant' }),
  object_id: Type.String(),
  detail: Type.String({ description: 'JSON text' }),
}, { additionalProperties: false }));

export const SnapshotState = Type.Object({
  version: Type.Integer({ description: '0 while this node has loaded no snapshot; the other fields are then absent' }),
  createdAt: Type.Optional(instant),
  validUntil: Type.Optional(instant),
  services: Type.Optional(Type.Integer()),
  subsystems: Type.Optional(Type.Integer()),
}, { additionalProperties: false, description: 'The snapshot this node runs on' });

/** Every component, for app.addSchema: each becomes one entry of the document's components.schemas. */
export const components: readonly TSchema[] = [
  AdminError, Member, Subsystem, ServiceSummary, Service, Group, AccessRight, Certificate, RevokedCertificate, ProviderHost, Change,
].map((c) => c.schema);

// --- Inputs. Unknown fields are refused, never dropped: a misspelt "validuntil" would otherwise make a
// grant that never expires.

export const MemberInput = Type.Object({
  memberClass: Type.Enum(['GOV', 'COM']),
  memberCode: text,
  name: text,
  nameFa: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const SubsystemInput = Type.Object({
  subsystemId: text,
  name: Type.Optional(Type.String()),
  homeNode: Type.Optional(Type.String({ minLength: 1, description: 'The node whose providers serve its services; the registry\'s central node when absent' })),
  province: Type.Optional(Type.String({ minLength: 1, maxLength: 2, description: 'Province code 00–30 (Statistical Centre) it serves from; national when absent' })),
}, { additionalProperties: false });

export const SubsystemNodesInput = Type.Object({
  nodes: Type.Array(Type.String({ minLength: 1 }), {
    minItems: 1, maxItems: 8,
    description: 'The nodes that serve its services: the home node first, then standbys in the order a consumer\'s node fails over to them',
  }),
}, { additionalProperties: false });

export const SubsystemNodes = Type.Object({
  homeNode: Type.String(),
  standbyNodes: Type.Array(Type.String()),
}, { additionalProperties: false, description: 'The nodes serving the subsystem now' });

export const ProviderHostInput = Type.Object({ host: text, note: Type.Optional(Type.String()) }, { additionalProperties: false });

export const ServiceInput = Type.Object({
  serviceId: text,
  title: text,
  baseUrl: text,
  contract,
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 300_000 })),
  maxRatePerSecond: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });

export const GroupInput = Type.Object({ groupCode: text, description: text }, { additionalProperties: false });

export const GroupMemberInput = Type.Object({ subsystemId: text }, { additionalProperties: false });

export const GrantInput = Type.Object({
  subject: text,
  serviceId: text,
  method: Type.Optional(Type.String()),
  path: Type.Optional(Type.String()),
  legalBasis: text,
  validFrom: Type.Optional(Type.String()),
  validUntil: Type.Optional(Type.String()),
}, { additionalProperties: false });

// --- Path parameters. Identifiers contain slashes, so each is percent-encoded as one segment.

export const IdParam = Type.Object({ id: text });
export const SerialParam = Type.Object({ serial: text });
export const GroupMemberParams = Type.Object({ id: text, subsystemId: text });
export const AccessRightParam = Type.Object({ id: Type.Integer() });

// --- Answers.

export const Created = <T extends TSchema>(id: T) => Type.Object({ id }, { additionalProperties: false, description: 'Created' });
/** 204: no body at all (RFC 9110 §15.3.5); `type: 'null'` is how the document generator knows to declare no content. */
export const NoContent = Type.Unsafe<undefined>(Type.Null({ description: 'Done; no body' }));

// --- Refusals by status, as each route declares them. Every route can answer 401 (the token is
// checked before anything else) and 500; a route whose method carries a body (POST, PUT, DELETE:
// Fastify reads a DELETE's body too) can answer 400, 413 and 415 before its handler runs.

const REFUSALS = {
  400: 'Admin.InvalidInput or Admin.InvalidContract: malformed or empty JSON, a missing, unknown or ill-formed field, or an ill-formed path parameter',
  401: 'Admin.Unauthenticated: the admin bearer token is missing or wrong',
  404: 'Admin.NotFound: no such object in the registry',
  409: 'Admin.AlreadyExists or Admin.Conflict: the change conflicts with the registry as it stands',
  413: 'Admin.BodyTooLarge: the body is larger than the admin API accepts',
  415: 'Admin.UnsupportedMediaType: the body is not application/json',
  500: 'The node failed; the detail names its log entry',
} as const;
export type RefusalStatus = keyof typeof REFUSALS;
type Refusal = ReturnType<typeof AdminError.ref>;

/** Statuses a route with a request body can answer before its handler runs. */
export const BODY_REFUSALS = [400, 413, 415] as const;

/** A route's responses: its success answers, 401 and 500, and the refusals it lists. */
export function answers<S extends Record<number, TSchema>, R extends RefusalStatus>(
  success: S, refusals: readonly R[] = [],
): S & Record<R | 401 | 500, Refusal> {
  const out: Record<number, TSchema> = { ...success };
  for (const status of [...refusals, 401, 500] as RefusalStatus[]) out[status] = AdminError.ref({ description: REFUSALS[status] });
  return out as S & Record<R | 401 | 500, Refusal>;
}
