/**
 * The Add Account wizard: the questions, their order and their checks, independent of how they
 * are asked. Each answer is checked by the same rules that check hand-edited settings
 * (src/accounts), so the wizard cannot write an account the loader would refuse.
 */
import { AUTH_MODES, AccountSetting, Credential, PROTOCOLS, VsCodeProvider, parseAccount } from '../../accounts/account';
import { parsePort, readPrivateKeyFile } from '../../accounts/fields';
import {
  EXCHANGE_APP_ONLY_RESOURCES, EXCHANGE_DELEGATED_RESOURCE, MICROSOFT_LOGIN, PRESET_IDS, PRESETS, PresetId, suggestedPreset, usualSecurity,
} from '../../accounts/presets';
import type { AuthMode } from '../../auth/token-source';
import { PROTOCOL_NAMES, type Protocol, type Security } from '../../mail/server';
import { Answer, BACK, StepPosition, WizardPrompts } from './prompts';

export const WIZARD_TITLE = 'Add Exchange Mail Account';

/** What the wizard produces: the setting to write and the secrets for SecretStorage. */
export interface NewAccount {
  setting: AccountSetting;
  /** For web-app and client-credentials with a secret. */
  clientSecret?: string;
  /** PEM of the certificate's private key, read from the file the user chose (the path is not kept). */
  certificatePrivateKey?: string;
}

export const AUTH_MODE_CHOICES: Record<AuthMode, { label: string; detail: string }> = {
  'vscode': {
    label: 'VS Code\'s Microsoft sign-in',
    detail: 'VS Code\'s built-in Microsoft account provider with your app registration; falls back to MSAL where that provider is missing.',
  },
  'msal-browser': {
    label: 'Browser sign-in (MSAL)',
    detail: 'Opens the system browser and listens on localhost; the registration needs the redirect URI http://localhost.',
  },
  'msal-device-code': {
    label: 'Device code (MSAL)',
    detail: 'Shows a code to enter on another device or browser; for remote, SSH and container windows. Needs "Allow public client flows".',
  },
  'web-app': {
    label: 'Web app with a client secret',
    detail: 'A confidential client signs the user in once for every protocol, then gets each protocol\'s token silently.',
  },
  'client-credentials': {
    label: 'App-only (client credentials)',
    detail: 'A service reaches a mailbox without a user, with a client secret or certificate; the admin grants it the mailbox.',
  },
};

const DEFAULT_PORTS: Record<Protocol, number> = { imap: 993, pop3: 995, smtp: 587 };

interface Draft {
  address: string;
  preset: PresetId;
  authMode: AuthMode;
  protocols: Protocol[];
  clientId: string;
  tenant?: string;
  servers: Partial<Record<Protocol, { host: string; port: number; security?: Security }>>;
  authorityHost: string;
  delegatedResource: string;
  appOnlyResources: { imapPop: string; smtp: string };
  caFile: string;
  vscodeProvider: VsCodeProvider;
  credential: Credential;
  clientSecret: string;
  certificateThumbprint: string;
  privateKeyFile: string;
  certificatePrivateKey?: string;
}

interface Step {
  applies(draft: Draft): boolean;
  ask(draft: Draft, prompts: WizardPrompts, position: StepPosition): Promise<Answer<true>>;
}

/** The account setting the draft stands for, written the way a person would: preset defaults left out. */
function toSetting(draft: Draft): AccountSetting {
  const custom = draft.preset === 'custom';
  const appOnly = draft.authMode === 'client-credentials';
  const setting: AccountSetting = {
    address: draft.address.trim(),
    preset: draft.preset,
    authMode: draft.authMode,
    clientId: draft.clientId.trim(),
    tenant: (draft.tenant ?? PRESETS[draft.preset].tenant).trim(),
    protocols: PROTOCOLS.filter((p) => draft.protocols.includes(p)),
  };
  if (custom) {
    for (const protocol of setting.protocols ?? []) {
      const server = draft.servers[protocol];
      if (server) setting[protocol] = { host: server.host, port: server.port, security: server.security ?? usualSecurity(server.port) };
    }
    setting.authorityHost = draft.authorityHost.trim();
    if (appOnly) setting.appOnlyResources = { ...draft.appOnlyResources };
    else setting.delegatedResource = draft.delegatedResource.trim();
    if (draft.caFile.trim()) setting.caFile = draft.caFile.trim();
    if (draft.authMode === 'vscode' && draft.vscodeProvider !== 'microsoft') setting.vscodeProvider = draft.vscodeProvider;
  }
  if (appOnly) {
    setting.credential = draft.credential;
    if (draft.credential === 'certificate') setting.certificateThumbprint = draft.certificateThumbprint.trim();
  }
  return setting;
}

/** What the settings loader would say about `field` if the draft were written with `change`. */
function problemOf(draft: Draft, field: string, change: Partial<Draft> = {}): string | undefined {
  const result = parseAccount(toSetting({ ...draft, ...change }));
  return 'problems' in result ? result.problems.find((p) => p.field === field)?.problem : undefined;
}

function sentence(subject: string, problem: string | undefined): string | undefined {
  return problem && `${subject} ${problem}`;
}

/** `host:port`, `host` (the protocol's usual port) or `[v6]:port`. */
function parseServer(text: string, protocol: Protocol): { host: string; port?: number } {
  const match = /^(\[[^\]]+\]|[^:]*|[0-9a-f:]+)(?::([^:\]]*))?$/i.exec(text.trim());
  if (!match) return { host: text.trim() };
  const host = match[1].replace(/^\[|\]$/g, '');
  if (match[2] === undefined) return { host, port: DEFAULT_PORTS[protocol] };
  return { host, port: parsePort(match[2]) };
}

function serverSteps(protocol: Protocol): Step[] {
  const name = PROTOCOL_NAMES[protocol];
  const used = (d: Draft) => d.preset === 'custom' && d.protocols.includes(protocol);
  return [
    {
      applies: used,
      async ask(d, prompts, position) {
        const current = d.servers[protocol];
        const answer = await prompts.input({
          ...position,
          prompt: `${name} server as host:port (port ${DEFAULT_PORTS[protocol]} when left out)`,
          placeholder: `mail.contoso.com:${DEFAULT_PORTS[protocol]}`,
          value: current ? `${current.host.includes(':') ? `[${current.host}]` : current.host}:${current.port}` : '',
          validate: (text) => {
            if (!text.trim()) return `Enter the ${name} server, e.g. mail.contoso.com:${DEFAULT_PORTS[protocol]}`;
            const { host, port } = parseServer(text, protocol);
            const server = { host, port: port ?? Number.NaN };
            return sentence(`${name} host`, problemOf(d, `${protocol}.host`, { servers: { ...d.servers, [protocol]: server } }))
              ?? (port === undefined ? `${name} port must be a number from 1 to 65535 (got "${text.trim().split(':').pop()}")` : undefined)
              ?? sentence(`${name} port`, problemOf(d, `${protocol}.port`, { servers: { ...d.servers, [protocol]: server } }));
          },
        });
        if (typeof answer !== 'string') return answer;
        const { host, port } = parseServer(answer, protocol);
        d.servers[protocol] = { host, port: port as number, security: current?.port === port ? current?.security : undefined };
        return true;
      },
    },
    {
      applies: used,
      async ask(d, prompts, position) {
        const server = d.servers[protocol] as { host: string; port: number; security?: Security };
        const answer = await prompts.pick<Security>({
          ...position,
          placeholder: `How ${name} on port ${server.port} is secured`,
          items: [
            { label: 'TLS', description: 'tls', detail: 'Encrypted from the first byte (IMAP 993, POP3 995, SMTP 465)', value: 'tls' },
            { label: 'STARTTLS', description: 'starttls', detail: `Plain connection upgraded with ${protocol === 'pop3' ? 'STLS' : 'STARTTLS'} before signing in (SMTP 587, IMAP 143, POP3 110)`, value: 'starttls' },
          ],
          active: server.security ?? usualSecurity(server.port),
        });
        if (answer === undefined || answer === BACK) return answer;
        server.security = answer;
        return true;
      },
    },
  ];
}

function originStep(options: {
  applies: (d: Draft) => boolean; field: string; prompt: string; example: string;
  get: (d: Draft) => string; set: (d: Draft, value: string) => Partial<Draft>;
}): Step {
  return {
    applies: options.applies,
    async ask(d, prompts, position) {
      const answer = await prompts.input({
        ...position, prompt: options.prompt, placeholder: options.example, value: options.get(d),
        validate: (text) => sentence('The address', problemOf(d, options.field, options.set(d, text.trim()))),
      });
      if (typeof answer !== 'string') return answer;
      Object.assign(d, options.set(d, answer.trim()));
      return true;
    },
  };
}

function buildSteps(existing: Set<string>): Step[] {
  return [
    {
      applies: () => true,
      async ask(d, prompts, position) {
        const answer = await prompts.input({
          ...position,
          prompt: 'Email address of the mailbox',
          placeholder: 'someone@contoso.com',
          value: d.address,
          validate: (text) => sentence('The address', problemOf(d, 'address', { address: text.trim() }))
            ?? (existing.has(text.trim().toLowerCase()) ? `${text.trim()} already has an account; remove it first to add it again` : undefined),
        });
        if (typeof answer !== 'string') return answer;
        if (answer.trim().toLowerCase() !== d.address.trim().toLowerCase()) {
          d.preset = suggestedPreset(answer.trim());
          d.tenant = undefined;
        }
        d.address = answer.trim();
        return true;
      },
    },
    {
      applies: () => true,
      async ask(d, prompts, position) {
        const answer = await prompts.pick<PresetId>({
          ...position,
          placeholder: 'Where the mailbox is',
          items: PRESET_IDS.map((id) => ({ label: PRESETS[id].label, description: id, detail: PRESETS[id].description, value: id })),
          active: d.preset,
        });
        if (answer === undefined || answer === BACK) return answer;
        if (answer !== d.preset) d.tenant = undefined;
        d.preset = answer;
        if (answer === 'outlook' && d.authMode === 'client-credentials') d.authMode = 'vscode';
        return true;
      },
    },
    {
      applies: () => true,
      async ask(d, prompts, position) {
        const modes = AUTH_MODES.filter((m) => !(d.preset === 'outlook' && m === 'client-credentials'));
        const answer = await prompts.pick<AuthMode>({
          ...position,
          placeholder: 'How to sign in',
          items: modes.map((m) => ({ label: AUTH_MODE_CHOICES[m].label, description: m, detail: AUTH_MODE_CHOICES[m].detail, value: m })),
          active: d.authMode,
        });
        if (answer === undefined || answer === BACK) return answer;
        if ((answer === 'client-credentials') !== (d.authMode === 'client-credentials')) d.tenant = undefined;
        d.authMode = answer;
        return true;
      },
    },
    {
      applies: () => true,
      async ask(d, prompts, position) {
        const answer = await prompts.pickMany<Protocol>({
          ...position,
          placeholder: 'Protocols to use (the first sign-in asks consent for all of them at once)',
          items: [
            { label: 'IMAP', description: 'imap', detail: 'Browse folders and messages', value: 'imap' },
            { label: 'POP3', description: 'pop3', detail: 'Check the mailbox with POP3', value: 'pop3' },
            { label: 'SMTP', description: 'smtp', detail: 'Send mail', value: 'smtp' },
          ],
          selected: d.protocols,
          validate: (values) => (values.length ? undefined : 'Pick at least one protocol'),
        });
        if (answer === undefined || answer === BACK) return answer;
        d.protocols = answer;
        return true;
      },
    },
    {
      applies: () => true,
      async ask(d, prompts, position) {
        const answer = await prompts.input({
          ...position,
          prompt: 'Application (client) ID of your app registration (Entra admin center → App registrations → Overview)',
          placeholder: '00000000-0000-0000-0000-000000000000',
          value: d.clientId,
          validate: (text) => sentence('The client ID', problemOf(d, 'clientId', { clientId: text.trim() })),
        });
        if (typeof answer !== 'string') return answer;
        d.clientId = answer.trim();
        return true;
      },
    },
    {
      applies: () => true,
      async ask(d, prompts, position) {
        const appOnly = d.authMode === 'client-credentials';
        const suggested = d.tenant ?? (appOnly ? d.address.split('@')[1] ?? '' : PRESETS[d.preset].tenant);
        const answer = await prompts.input({
          ...position,
          prompt: appOnly
            ? 'Tenant of the mailbox: its Directory (tenant) ID or a verified domain'
            : d.preset === 'outlook' ? 'Tenant: consumers (personal accounts only) or common (personal and work accounts)'
              : 'Tenant: organizations, common, consumers, a Directory (tenant) ID or a verified domain',
          placeholder: PRESETS[d.preset].tenant,
          value: suggested,
          validate: (text) => sentence('The tenant', problemOf(d, 'tenant', { tenant: text.trim() })),
        });
        if (typeof answer !== 'string') return answer;
        d.tenant = answer.trim();
        return true;
      },
    },
    ...PROTOCOLS.flatMap(serverSteps),
    originStep({
      applies: (d) => d.preset === 'custom', field: 'authorityHost', example: MICROSOFT_LOGIN,
      prompt: 'Identity platform (authority host): Microsoft\'s, a sovereign cloud\'s such as https://login.microsoftonline.us, or a test one',
      get: (d) => d.authorityHost, set: (_d, value) => ({ authorityHost: value }),
    }),
    originStep({
      applies: (d) => d.preset === 'custom' && d.authMode !== 'client-credentials', field: 'delegatedResource', example: EXCHANGE_DELEGATED_RESOURCE,
      prompt: 'Exchange resource of the delegated scopes (…/IMAP.AccessAsUser.All)',
      get: (d) => d.delegatedResource, set: (_d, value) => ({ delegatedResource: value }),
    }),
    originStep({
      applies: (d) => d.preset === 'custom' && d.authMode === 'client-credentials', field: 'appOnlyResources.imapPop', example: EXCHANGE_APP_ONLY_RESOURCES.imapPop,
      prompt: 'Exchange resource of the app-only IMAP and POP3 scope (…/.default)',
      get: (d) => d.appOnlyResources.imapPop, set: (d, value) => ({ appOnlyResources: { ...d.appOnlyResources, imapPop: value } }),
    }),
    originStep({
      applies: (d) => d.preset === 'custom' && d.authMode === 'client-credentials', field: 'appOnlyResources.smtp', example: EXCHANGE_APP_ONLY_RESOURCES.smtp,
      prompt: 'Exchange resource of the app-only SMTP scope (…/.default)',
      get: (d) => d.appOnlyResources.smtp, set: (d, value) => ({ appOnlyResources: { ...d.appOnlyResources, smtp: value } }),
    }),
    {
      applies: (d) => d.preset === 'custom',
      async ask(d, prompts, position) {
        const answer = await prompts.input({
          ...position,
          prompt: 'Extra CA certificates to trust (PEM file), for servers with a private CA; leave empty for none',
          placeholder: '/path/to/ca.pem',
          value: d.caFile,
          browseFiles: { label: 'Choose a CA File', filters: { 'PEM certificates': ['pem', 'crt', 'cer'] } },
          validate: (text) => (text.trim() ? sentence('The CA file', problemOf(d, 'caFile', { caFile: text.trim() })) : undefined),
        });
        if (typeof answer !== 'string') return answer;
        d.caFile = answer.trim();
        return true;
      },
    },
    {
      applies: (d) => d.preset === 'custom' && d.authMode === 'vscode',
      async ask(d, prompts, position) {
        const answer = await prompts.pick<VsCodeProvider>({
          ...position,
          placeholder: 'VS Code\'s authentication provider',
          items: [
            { label: 'Microsoft', description: 'microsoft', detail: 'Microsoft\'s global cloud', value: 'microsoft' },
            { label: 'Microsoft Sovereign Cloud', description: 'microsoft-sovereign-cloud', detail: 'The cloud set in VS Code\'s setting microsoft-sovereign-cloud.environment', value: 'microsoft-sovereign-cloud' },
          ],
          active: d.vscodeProvider,
        });
        if (answer === undefined || answer === BACK) return answer;
        d.vscodeProvider = answer;
        return true;
      },
    },
    {
      applies: (d) => d.authMode === 'client-credentials',
      async ask(d, prompts, position) {
        const answer = await prompts.pick<Credential>({
          ...position,
          placeholder: 'How the app proves who it is',
          items: [
            { label: 'Client secret', description: 'secret', detail: 'A secret from Certificates & secrets; kept in VS Code\'s secret storage', value: 'secret' },
            { label: 'Certificate', description: 'certificate', detail: 'A certificate uploaded to the registration; its private key is kept in VS Code\'s secret storage', value: 'certificate' },
          ],
          active: d.credential,
        });
        if (answer === undefined || answer === BACK) return answer;
        d.credential = answer;
        return true;
      },
    },
    {
      applies: (d) => d.authMode === 'web-app' || (d.authMode === 'client-credentials' && d.credential === 'secret'),
      async ask(d, prompts, position) {
        const answer = await prompts.input({
          ...position,
          prompt: 'Client secret (its Value, not its Secret ID); kept in VS Code\'s secret storage, never in settings',
          password: true,
          value: d.clientSecret,
          validate: (text) => (text.trim() ? undefined : 'Enter the client secret\'s value from Certificates & secrets'),
        });
        if (typeof answer !== 'string') return answer;
        d.clientSecret = answer.trim();
        return true;
      },
    },
    {
      applies: (d) => d.authMode === 'client-credentials' && d.credential === 'certificate',
      async ask(d, prompts, position) {
        const answer = await prompts.input({
          ...position,
          prompt: 'SHA-256 thumbprint of the certificate registered for the app',
          placeholder: '64 hexadecimal digits',
          value: d.certificateThumbprint,
          validate: (text) => sentence('The thumbprint', problemOf(d, 'certificateThumbprint', { certificateThumbprint: text.trim() })),
        });
        if (typeof answer !== 'string') return answer;
        d.certificateThumbprint = answer.trim();
        return true;
      },
    },
    {
      applies: (d) => d.authMode === 'client-credentials' && d.credential === 'certificate',
      async ask(d, prompts, position) {
        const answer = await prompts.input({
          ...position,
          prompt: 'Private key of the certificate (PEM file): it is read now and kept in VS Code\'s secret storage; the path is not kept',
          placeholder: '/path/to/private-key.pem',
          value: d.privateKeyFile,
          browseFiles: { label: 'Choose the Private Key', filters: { 'PEM private keys': ['pem', 'key'] } },
          validate: (text) => {
            const read = readPrivateKeyFile(text.trim());
            return 'problem' in read ? `The private key file ${read.problem}` : undefined;
          },
        });
        if (typeof answer !== 'string') return answer;
        const read = readPrivateKeyFile(answer.trim());
        // The input checked the file; it can only fail here if it changed since: ask again.
        if ('problem' in read) return this.ask(d, prompts, position);
        d.privateKeyFile = answer.trim();
        d.certificatePrivateKey = read.pem;
        return true;
      },
    },
  ];
}

export interface WizardOptions {
  /** Ids (lower-case addresses) of the accounts that exist: a second one with the same address is refused. */
  existing: string[];
}

/** Asks every question that applies, with Back; the new account, or undefined when the user cancelled. */
export async function runAddAccountWizard(prompts: WizardPrompts, options: WizardOptions): Promise<NewAccount | undefined> {
  const draft: Draft = {
    address: '', preset: 'microsoft365', authMode: 'vscode', protocols: [...PROTOCOLS], clientId: '', servers: {},
    authorityHost: MICROSOFT_LOGIN, delegatedResource: EXCHANGE_DELEGATED_RESOURCE, appOnlyResources: { ...EXCHANGE_APP_ONLY_RESOURCES },
    caFile: '', vscodeProvider: 'microsoft', credential: 'secret', clientSecret: '', certificateThumbprint: '', privateKeyFile: '',
  };
  const steps = buildSteps(new Set(options.existing));
  const history: number[] = [];
  let index = 0;
  while (index < steps.length) {
    if (!steps[index].applies(draft)) {
      index++;
      continue;
    }
    const applicable = steps.filter((s) => s.applies(draft));
    const position = { title: WIZARD_TITLE, step: applicable.indexOf(steps[index]) + 1, totalSteps: applicable.length };
    const answer = await steps[index].ask(draft, prompts, position);
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      index = history.pop() ?? 0;
      continue;
    }
    history.push(index);
    index++;
  }
  const setting = toSetting(draft);
  const appOnlySecret = draft.authMode === 'client-credentials' && draft.credential === 'secret';
  return {
    setting,
    clientSecret: draft.authMode === 'web-app' || appOnlySecret ? draft.clientSecret : undefined,
    certificatePrivateKey: draft.authMode === 'client-credentials' && draft.credential === 'certificate' ? draft.certificatePrivateKey : undefined,
  };
}
