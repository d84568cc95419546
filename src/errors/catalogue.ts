// The one catalogue of coded errors a caller, an admin or an operator can see.
// Exchange errors follow X-Road's REST protocol (r1): the HTTP status is 500 when the type starts
// with "Server." and 400 otherwise; admin-side errors carry their own HTTP status.

export interface ErrorSpec {
  /** The coded type, e.g. "Server.ServerProxy.AccessDenied". */
  readonly type: string;
  /** HTTP status the error is answered with. */
  readonly status: number;
  /** A sentence a person can act on; details are appended by the thrower. */
  readonly message: string;
}

const exchange = (type: string, message: string): ErrorSpec => ({
  type,
  status: type.startsWith('Server.') ? 500 : 400,
  message,
});

const admin = (type: string, status: number, message: string): ErrorSpec => ({ type, status, message });

export const Errors = {
  // --- The door: the request itself is wrong (the caller's fault).
  BadRequest: exchange('Client.BadRequest', 'The request does not follow the X-Road message protocol for REST'),
  UnsupportedVersion: exchange('Client.BadRequest', 'Only protocol version r1 is supported'),
  InvalidClientIdentifier: exchange('Client.InvalidClientIdentifier', 'X-Road-Client is missing or is not INSTANCE/CLASS/MEMBER/SUBSYSTEM'),
  InvalidServiceIdentifier: exchange('Client.InvalidServiceIdentifier', 'The service is not INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE'),
  PathTraversal: exchange('Client.BadRequest', 'The path climbs out of the service or hides a segment boundary (an encoded / or \\, or a . or .. segment)'),
  // 413 (RFC 9110 §15.5.14) rather than X-Road's 400: the caller learns the limit, not a fault.
  BodyTooLarge: { type: 'Client.BadRequest', status: 413, message: 'The request body is larger than this node accepts' },
  HeaderTooLong: exchange('Client.BadRequest', 'An X-Road header value is longer than 255 characters'),
  SslAuthenticationFailed: exchange('Client.SslAuthenticationFailed', 'The client certificate is missing, not issued by this exchange, or not bound to the subsystem in X-Road-Client'),
  UnknownClient: exchange('Client.UnknownMember', 'The client subsystem is not registered with this exchange'),
  InvalidRequest: exchange('Client.InvalidRequest', 'The request does not match the service contract'),
  UnknownEndpoint: exchange('Client.InvalidRequest', 'The service contract has no such method and path'),
  RateLimited: exchange('Client.RateLimitExceeded', 'Too many requests to this service from this client'),

  // --- The node refuses or fails on the provider's side.
  UnknownService: exchange('Server.ServerProxy.UnknownService', 'The service is not registered with this exchange'),
  AccessDenied: exchange('Server.ServerProxy.AccessDenied', 'No access right allows this client to call this service'),
  ServiceFailed: exchange('Server.ServerProxy.ServiceFailed', 'The provider did not answer properly'),
  ServiceTimeout: exchange('Server.ServerProxy.ServiceTimeout', 'The provider did not answer within the service timeout'),
  InvalidResponse: exchange('Server.ServerProxy.InvalidResponse', 'The provider answered outside its contract'),
  NetworkError: exchange('Server.ClientProxy.NetworkError', 'The provider\'s node cannot be reached'),
  OutdatedSnapshot: exchange('Server.ServerProxy.OutdatedGlobalConf', 'This node\'s registry snapshot has expired; it refuses to act on stale rights'),
  NoSnapshot: exchange('Server.ServerProxy.OutdatedGlobalConf', 'This node has not loaded a registry snapshot yet'),
  RecordFailed: exchange('Server.ServerProxy.RecordFailed', 'The exchange could not be recorded durably, so its answer is withheld'),
  InternalError: exchange('Server.ServerProxy.InternalError', 'The node failed unexpectedly; the detail names the log entry'),
  DiskReserve: exchange('Server.ServerProxy.RecordFailed', 'Free disk space on this node is below its reserve, so it takes no new exchanges until space returns'),
  // X-Road has no type for an overloaded provider; its own ServiceFailed.<reason> form (as in
  // ServiceFailed.NetworkError) keeps it in the ServiceFailed family while records and metrics
  // count it apart from providers that failed.
  ProviderBusy: exchange('Server.ServerProxy.ServiceFailed.ProviderBusy', 'The provider has as many exchanges in progress through this node as it may; try again shortly'),
  // X-Road-Security-Server pins the provider's node; as X-Road's client proxy and server proxy do
  // (PR-TARGETSS §2), a node that does not serve the service, or is not the node reached, is refused.
  InvalidSecurityServer: exchange('Server.ClientProxy.InvalidSecurityServer', 'X-Road-Security-Server names a node that does not serve this service'),
  NotTargetedNode: exchange('Server.ServerProxy.InvalidSecurityServer', 'X-Road-Security-Server names another node than the one this exchange reached'),
  // A peer node's node-to-node port has as many exchanges of this node in progress as it may take.
  PeerNodeBusy: exchange('Server.ClientProxy.NetworkError.PeerBusy', 'The provider\'s node has as many exchanges in progress from this node as it may; try again shortly'),

  // --- Control plane (admin API and CLI).
  Unauthenticated: admin('Admin.Unauthenticated', 401, 'An admin bearer token is required'),
  NotFound: admin('Admin.NotFound', 404, 'No such object in the registry'),
  AlreadyExists: admin('Admin.AlreadyExists', 409, 'An object with this identifier already exists'),
  InvalidInput: admin('Admin.InvalidInput', 400, 'The input is not valid'),
  InvalidContract: admin('Admin.InvalidContract', 400, 'The service contract is not a usable OpenAPI 3.1 document'),
  Conflict: admin('Admin.Conflict', 409, 'The change conflicts with the registry as it stands'),
  CaExists: admin('Admin.CaExists', 409, 'A certificate authority already exists in this data directory'),
  CaMissing: admin('Admin.CaMissing', 404, 'No certificate authority in this data directory; run `tabadol ca init`'),
  SnapshotInvalid: admin('Admin.SnapshotInvalid', 500, 'The registry snapshot failed its signature or shape check'),
  NodeStartFailed: admin('Admin.NodeStartFailed', 500, 'The node could not start; its log says why'),
  RegistryStoreFailed: admin('Admin.RegistryStoreFailed', 500, 'The registry database could not be brought to this version\'s schema'),
  RecordsDamaged: admin('Admin.RecordsDamaged', 500, 'The records database is damaged or is not a records database'),
  SnapshotPublishFailed: admin('Admin.SnapshotPublishFailed', 500, 'The registry snapshot could not be published, so the change was not made'),
  NodeIdMismatch: admin('Admin.NodeIdMismatch', 409, 'This node\'s id is not the central node of the registry it runs on; a registry\'s central node is never renamed'),
  // The admin API's refusals of a malformed request (RFC 9110 §15.5.5, §15.5.6, §15.5.14, §15.5.16).
  UnknownRoute: admin('Admin.NotFound', 404, 'The admin API has no such route; /openapi.json lists its routes'),
  MethodNotAllowed: admin('Admin.MethodNotAllowed', 405, 'This route does not take this method; the Allow header lists the methods it takes'),
  AdminBodyTooLarge: admin('Admin.BodyTooLarge', 413, 'The request body is larger than the admin API accepts'),
  UnsupportedMediaType: admin('Admin.UnsupportedMediaType', 415, 'The admin API takes request bodies as application/json only'),
  // The snapshot between the planes (src/snapshot/endpoint.ts, fetcher.ts; RFC 9110 §15.6.4, §15.6.3).
  SnapshotUnavailable: admin('Admin.SnapshotUnavailable', 503, 'No verified registry snapshot to serve yet; try again shortly'),
  SnapshotFetchFailed: admin('Admin.SnapshotFetchFailed', 502, 'The registry snapshot could not be fetched from its source'),
  SnapshotRollback: admin('Admin.SnapshotRollback', 409, 'The registry snapshot offered is older than the one this node holds, or differs from it under the same version'),
  // The statistics reader's thread (src/oversight/rollup-host.ts): rollups are read off the event loop,
  // a bounded number of questions wait, none waits forever (RFC 9110 §15.6.4).
  StatsBusy: admin('Admin.StatsBusy', 503, 'As many statistics questions are waiting as this node takes; try again shortly'),
  StatsTimeout: admin('Admin.StatsTimeout', 503, 'Statistics could not be read in the time allowed; try again, or ask for a shorter period'),
  StatsUnavailable: admin('Admin.StatsUnavailable', 503, 'The statistics reader stopped while reading and is being restarted; try again shortly'),

  // --- The citizen's data tracker (src/tracker/): a provider behind the exchange, whose answers
  // pass through it untouched. Its statuses are its own, as any provider's are.
  TrackerInvalidInput: admin('Tracker.InvalidInput', 400, 'The inquiry is not valid: a national code with its check digit, a period from/to as Jalali YYYY/MM/DD with from not after to, a limit of 1 to 100, and a cursor from an earlier answer'),
  TrackerForbidden: admin('Tracker.Forbidden', 403, 'The data tracker answers only inquiries that reach it through this exchange'),
  TrackerNotFound: admin('Tracker.NotFound', 404, 'The data tracker answers POST /usage only'),
  TrackerUnavailable: admin('Tracker.Unavailable', 503, 'The data tracker cannot read the records or the registry snapshot now; try again shortly'),

  // --- The public portal (src/portal/): read-only, no account; refusals of a malformed request
  // (RFC 9110 §15.5.5, §15.5.6, §15.5.15, §15.5.20 and RFC 6585 §4).
  PortalNotFound: admin('Portal.NotFound', 404, 'The portal has no such page or file; /open-data/catalog.json lists the open data'),
  PortalMethodNotAllowed: admin('Portal.MethodNotAllowed', 405, 'This address does not take this method; the Allow header lists the methods it takes (the open data: GET and HEAD)'),
  PortalUriTooLong: admin('Portal.UriTooLong', 414, 'The address is longer than the portal accepts'),
  PortalRateLimited: admin('Portal.RateLimited', 429, 'Too many requests from this address; try again after the time in Retry-After'),
  PortalBadRequest: admin('Portal.BadRequest', 400, 'The request is malformed'),
  PortalInternalError: admin('Portal.InternalError', 500, 'The portal failed unexpectedly; the detail names the log entry'),
  // The citizen's pages (src/portal/citizen*.ts): the one form the portal takes (RFC 9110 §15.5.14, §15.5.16).
  PortalPayloadTooLarge: admin('Portal.PayloadTooLarge', 413, 'The form is larger than the portal accepts'),
  PortalUnsupportedMediaType: admin('Portal.UnsupportedMediaType', 415, 'The portal takes its form only as application/x-www-form-urlencoded'),
  PortalCrossSite: admin('Portal.CrossSiteRefused', 403, 'The form was sent from another site; open the portal\'s own page and send it from there'),
  PortalCitizenInvalidInput: admin('Portal.Citizen.InvalidInput', 400, 'The form is not valid: a national code of 10 digits with its check digit, and a period from/to as Jalali YYYY/MM/DD, from not after to'),
  PortalTrackerUnavailable: admin('Portal.Citizen.TrackerUnavailable', 503, 'The data tracker cannot answer now; try again in a few minutes'),
  // The operators' dashboard and its accounts (src/portal/dashboard/, src/portal/accounts/).
  PortalLoginFailed: admin('Portal.Login.Failed', 403, 'The user name or password is wrong, or the account is locked for 15 minutes after 5 wrong passwords'),
  PortalLoginThrottled: admin('Portal.Login.TooManyAttempts', 429, 'Too many failed logins from this address; try again after the time in Retry-After'),
  PortalLoginRequired: admin('Portal.Dashboard.LoginRequired', 401, 'Log in at /login first; a session ends after 30 minutes without use and 12 hours after login'),
  PortalForbidden: admin('Portal.Dashboard.Forbidden', 403, 'Your role may not use this page or make this change'),
  PortalCsrfRefused: admin('Portal.Dashboard.CsrfRefused', 403, 'The form is stale or was not sent from this portal\'s page; reload the page and send it again'),
  AccountInvalidInput: admin('Account.InvalidInput', 400, 'The account is not valid: a user name of 2 to 32 lower-case letters, digits, ".", "_" or "-" starting with a letter; a role of operator, overseer or inspector; a password of 12 to 1024 characters'),
  AccountPasswordOnCommandLine: admin('Account.PasswordOnCommandLine', 400, 'A password is never given on the command line (shell history, the process list): use --password-file FILE or the TABADOL_PASSWORD environment variable'),
  AccountExists: admin('Account.Exists', 409, 'A user of this name exists already'),
  AccountNotFound: admin('Account.NotFound', 404, 'No user of this name'),

  // --- The node-to-node port (src/node/node-port.ts) and its client (src/node/node-client.ts).
  NodePeerRefused: admin('Node.PeerRefused', 403, 'The client certificate is not a node certificate of this exchange in force: it is bound to no node (a subsystem\'s certificate is not a node\'s), revoked, or expired'),
  NodeNoSnapshot: admin('Node.NoSnapshot', 503, 'This node has not loaded a registry snapshot yet, so it cannot tell revoked node certificates; try again shortly'),
  NodeUnknownRoute: admin('Node.NotFound', 404, 'The node-to-node port has no such route'),
  NodeClosing: admin('Node.Closing', 503, 'This node is stopping and takes no new exchange; a consumer\'s node tries another node serving the provider'),
  NodePeerMismatch: admin('Node.PeerMismatch', 502, 'The peer\'s certificate is not bound to the node this node meant to call, or is revoked'),
  NodeHeadRefused: admin('Node.HeadRefused', 403, 'A chain head is not the sending node\'s: its chain is named for another node, or it is not signed with a record key the registry holds for the sending node'),
  NodeHeadBehind: admin('Node.HeadBehind', 409, 'A chain head is older than, or differs from, the head of that chain the central node witnessed already: records were removed or rewritten'),
  NodeNotCentral: admin('Node.NotCentralNode', 403, 'Only this node\'s central node (--central-node-id) may ask for its rollups'),
  NodeBadAnswer: admin('Node.BadAnswer', 502, 'The peer node answered something this node cannot take'),
  NodeTrackerNotCentral: admin('Node.Tracker.NotCentralNode', 403, 'Only this node\'s central node (--central-node-id) may search this node\'s records for a citizen (the data tracker across nodes)'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof Errors;

/** The only error type thrown on paths a user reaches. */
export class TabadolError extends Error {
  readonly type: string;
  readonly status: number;
  readonly spec: ErrorSpec;
  /** What this occurrence adds to the catalogue's message, if anything. */
  readonly detail: string | undefined;

  constructor(spec: ErrorSpec, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${spec.message}: ${detail}` : spec.message, options);
    this.name = 'TabadolError';
    this.detail = detail;
    this.spec = spec;
    this.type = spec.type;
    this.status = spec.status;
  }
}

export function fail(spec: ErrorSpec, detail?: string, cause?: unknown): never {
  throw new TabadolError(spec, detail, cause === undefined ? undefined : { cause });
}

export function isTabadolError(e: unknown): e is TabadolError {
  return e instanceof TabadolError;
}
