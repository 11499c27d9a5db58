/**
 * The pages' runtime configuration: `/config.js` sets `window.APP_CONFIG` before any page script runs,
 * so the same built files work on this machine (`npm start` serves it) and in AWS (`deploy:web` writes it).
 * No DOM here: the build, the deploy script and the local API emulator use `configScript` too.
 */
export interface LocalService {
  /** What it is, e.g. "Step Functions API". */
  name: string;
  url: string;
}

/** The staff user pool the admin and call-centre pages sign in with (contract, "Staff sign-in"). */
export interface SignInConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** Cognito's endpoint: the local service's on this machine; absent in AWS (the region's own is used). */
  endpoint?: string;
}

export interface AppConfig {
  /** The REST API's base URL without a trailing slash; '' means the pages' own origin. */
  apiBaseUrl: string;
  /** True only on this machine: enables the exact execution history and the /_local/ dashboard. */
  local?: boolean;
  /**
   * Where the local Step Functions API's dashboard JSON (`/_local/...`) is read: `npm start` serves it on the pages'
   * own origin (the API port forwards it), so no page calls another origin.
   */
  sfnDashboardBase?: string;
  /** Where the captured emails are listed (the shape of aws-ses-v2-local's `GET /store`); default `/_local/outbox`. */
  outboxUrl?: string;
  /** Everything `npm start` runs, for the dashboard's links. */
  services?: LocalService[];
  /** Where staff sign in; without it the staff pages say sign-in is not configured. */
  cognito?: SignInConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Checks a value read from `window.APP_CONFIG`; throws ConfigError naming the bad field. */
export function parseAppConfig(value: unknown): AppConfig {
  if (typeof value !== 'object' || value === null)
    throw new ConfigError('window.APP_CONFIG is missing: /config.js did not load.');
  const raw = value as Record<string, unknown>;
  if (typeof raw.apiBaseUrl !== 'string') throw new ConfigError('APP_CONFIG.apiBaseUrl must be a string.');
  const optionalString = (field: 'sfnDashboardBase' | 'outboxUrl'): string | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ConfigError(`APP_CONFIG.${field} must be a string.`);
    return v.replace(/\/+$/, '');
  };
  if (raw.local !== undefined && typeof raw.local !== 'boolean')
    throw new ConfigError('APP_CONFIG.local must be true or false.');
  const services = raw.services;
  if (
    services !== undefined &&
    !(Array.isArray(services) && services.every((s) => typeof s?.name === 'string' && typeof s?.url === 'string'))
  ) {
    throw new ConfigError('APP_CONFIG.services must be a list of {name, url}.');
  }
  return {
    cognito: parseSignInConfig(raw.cognito),
    apiBaseUrl: raw.apiBaseUrl.replace(/\/+$/, ''),
    local: raw.local === true,
    sfnDashboardBase: optionalString('sfnDashboardBase'),
    outboxUrl: optionalString('outboxUrl'),
    services: services as LocalService[] | undefined,
  };
}

function parseSignInConfig(value: unknown): SignInConfig | undefined {
  if (value === undefined) return undefined;
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  for (const field of ['region', 'userPoolId', 'clientId'] as const)
    if (typeof raw[field] !== 'string' || raw[field] === '')
      throw new ConfigError(`APP_CONFIG.cognito.${field} must be a non-empty string.`);
  if (raw.endpoint !== undefined && (typeof raw.endpoint !== 'string' || !URL.canParse(raw.endpoint)))
    throw new ConfigError('APP_CONFIG.cognito.endpoint must be a URL.');
  const { region, userPoolId, clientId, endpoint } = raw as unknown as SignInConfig;
  return { region, userPoolId, clientId, ...(endpoint === undefined ? {} : { endpoint }) };
}

/** The text of `/config.js` for a configuration (validated first, so a bad one is never written). */
export function configScript(config: AppConfig): string {
  const checked = parseAppConfig(config);
  // JSON is valid JavaScript; escaping '<' keeps a value from ever closing a <script> element.
  const json = JSON.stringify(checked, null, 2).replace(/</g, '\\u003c');
  return `window.APP_CONFIG = ${json};\n`;
}
