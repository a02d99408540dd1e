/**
 * The Add Account wizard: the questions and their order, independent of how they are asked.
 * The draft they fill and its checks are ./account-draft; the shapes of a question, ./wizard-steps.
 */
import { AUTH_MODES, AccountSetting, PROTOCOLS } from '../../accounts/account';
import { appSecretOf, AUTH_MODE_CHOICES } from '../../accounts/auth-modes';
import { readPrivateKeyFile } from '../../accounts/fields';
import { sharedMailboxProblem, withSharedMailbox } from '../../accounts/mailboxes';
import {
  EXCHANGE_APP_ONLY_RESOURCES, EXCHANGE_DELEGATED_RESOURCE, MICROSOFT_LOGIN, PRESET_IDS, PRESETS, PresetId, suggestedPreset, usualSecurity,
} from '../../accounts/presets';
import type { AuthMode } from '../../auth/token-source';
import { PROTOCOL_NAMES, type Protocol, type Security } from '../../mail/server';
import { DEFAULT_PORTS, Draft, parseServer, problemOf, sentence, toSetting } from './account-draft';
import { BACK, WizardPrompts } from './prompts';
import { choiceStep, fieldStep, inputStep, pickManyStep, pickStep, Step } from './wizard-steps';

export const WIZARD_TITLE = 'Add Exchange Mail Account';

/** What the wizard produces: the setting to write and the secrets for SecretStorage. */
export interface NewAccount {
  setting: AccountSetting;
  /** For web-app and client-credentials with a secret. */
  clientSecret?: string;
  /** PEM of the certificate's private key, read from the file the user chose (the path is not kept). */
  certificatePrivateKey?: string;
}

function serverSteps(protocol: Protocol): Step[] {
  const name = PROTOCOL_NAMES[protocol];
  const used = (d: Draft) => d.preset === 'custom' && d.protocols.includes(protocol);
  const withServer = (d: Draft, text: string) => {
    const { host, port } = parseServer(text, protocol);
    return { servers: { ...d.servers, [protocol]: { host, port: port ?? Number.NaN } } };
  };
  return [
    inputStep({
      applies: used,
      question: (d) => {
        const current = d.servers[protocol];
        return {
          prompt: `${name} server as host:port (port ${DEFAULT_PORTS[protocol]} when left out)`,
          placeholder: `mail.contoso.com:${DEFAULT_PORTS[protocol]}`,
          value: current ? `${current.host.includes(':') ? `[${current.host}]` : current.host}:${current.port}` : '',
        };
      },
      validate: (d, text) => {
        if (!text) return `Enter the ${name} server, e.g. mail.contoso.com:${DEFAULT_PORTS[protocol]}`;
        return sentence(`${name} host`, problemOf(d, `${protocol}.host`, withServer(d, text)))
          ?? (parseServer(text, protocol).port === undefined ? `${name} port must be a number from 1 to 65535 (got "${text.split(':').pop()}")` : undefined)
          ?? sentence(`${name} port`, problemOf(d, `${protocol}.port`, withServer(d, text)));
      },
      keep: (d, text) => {
        const current = d.servers[protocol];
        const { host, port } = parseServer(text, protocol);
        d.servers[protocol] = { host, port: port as number, security: current?.port === port ? current?.security : undefined };
      },
    }),
    pickStep<Security>({
      applies: used,
      question: (d) => {
        const server = d.servers[protocol]!;
        return {
          placeholder: `How ${name} on port ${server.port} is secured`,
          items: [
            { label: 'TLS', description: 'tls', detail: 'Encrypted from the first byte (IMAP 993, POP3 995, SMTP 465)', value: 'tls' },
            { label: 'STARTTLS', description: 'starttls', detail: `Plain connection upgraded with ${protocol === 'pop3' ? 'STLS' : 'STARTTLS'} before signing in (SMTP 587, IMAP 143, POP3 110)`, value: 'starttls' },
          ],
          active: server.security ?? usualSecurity(server.port),
        };
      },
      keep: (d, security) => {
        d.servers[protocol]!.security = security;
      },
    }),
  ];
}

function originStep(options: {
  applies: (d: Draft) => boolean; field: string; prompt: string; example: string;
  get: (d: Draft) => string; set: (d: Draft, value: string) => Partial<Draft>;
}): Step {
  return fieldStep({
    applies: options.applies, field: options.field, subject: 'The address', change: options.set,
    question: (d) => ({ prompt: options.prompt, placeholder: options.example, value: options.get(d) }),
  });
}

/**
 * The shared mailboxes typed as a list (commas, semicolons or spaces between), each added in
 * turn as Add Shared Mailbox… adds one: the list, or what is wrong with the first bad one.
 */
function typedSharedMailboxes(d: Draft, text: string): { mailboxes: string[] } | { problem: string } {
  let owner = { address: d.address, sharedMailboxes: [] as string[] };
  for (const typed of text.split(/[\s,;]+/).filter(Boolean)) {
    const problem = sharedMailboxProblem(owner, typed);
    if (problem) return { problem };
    owner = { ...owner, sharedMailboxes: withSharedMailbox(owner, typed) };
  }
  return { mailboxes: owner.sharedMailboxes };
}

function buildSteps(existing: Set<string>): Step[] {
  return [
    inputStep({
      question: (d) => ({ prompt: 'Email address of the mailbox', placeholder: 'someone@contoso.com', value: d.address }),
      validate: (d, text) => sentence('The address', problemOf(d, 'address', { address: text }))
        ?? (existing.has(text.toLowerCase()) ? `${text} already has an account; remove it first to add it again` : undefined),
      keep: (d, text) => {
        if (text.toLowerCase() !== d.address.trim().toLowerCase()) {
          d.preset = suggestedPreset(text);
          d.tenant = undefined;
        }
        d.address = text;
      },
    }),
    pickStep<PresetId>({
      question: (d) => ({
        placeholder: 'Where the mailbox is',
        items: PRESET_IDS.map((id) => ({ label: PRESETS[id].label, description: id, detail: PRESETS[id].description, value: id })),
        active: d.preset,
      }),
      keep: (d, preset) => {
        if (preset !== d.preset) d.tenant = undefined;
        d.preset = preset;
        if (preset === 'outlook' && d.authMode === 'client-credentials') d.authMode = 'vscode';
      },
    }),
    pickStep<AuthMode>({
      question: (d) => ({
        placeholder: 'How to sign in',
        items: AUTH_MODES.filter((m) => !(d.preset === 'outlook' && m === 'client-credentials'))
          .map((m) => ({ label: AUTH_MODE_CHOICES[m].label, description: m, detail: AUTH_MODE_CHOICES[m].detail, value: m })),
        active: d.authMode,
      }),
      keep: (d, mode) => {
        if ((mode === 'client-credentials') !== (d.authMode === 'client-credentials')) d.tenant = undefined;
        d.authMode = mode;
      },
    }),
    pickManyStep<Protocol>({
      question: (d) => ({
        placeholder: 'Protocols to use (the first sign-in asks consent for all of them at once)',
        items: [
          { label: 'IMAP', description: 'imap', detail: 'Browse folders and messages', value: 'imap' },
          { label: 'POP3', description: 'pop3', detail: 'Check the mailbox with POP3', value: 'pop3' },
          { label: 'SMTP', description: 'smtp', detail: 'Send mail', value: 'smtp' },
        ],
        selected: d.protocols,
        validate: (values) => (values.length ? undefined : 'Pick at least one protocol'),
      }),
      keep: (d, protocols) => {
        d.protocols = protocols;
      },
    }),
    fieldStep({
      field: 'clientId', subject: 'The client ID', change: (_d, clientId) => ({ clientId }),
      question: (d) => ({
        prompt: 'Application (client) ID of your app registration (Entra admin center → App registrations → Overview)',
        placeholder: '00000000-0000-0000-0000-000000000000',
        value: d.clientId,
      }),
    }),
    fieldStep({
      field: 'tenant', subject: 'The tenant', change: (_d, tenant) => ({ tenant }),
      question: (d) => {
        const appOnly = d.authMode === 'client-credentials';
        return {
          prompt: appOnly
            ? 'Tenant of the mailbox: its Directory (tenant) ID or a verified domain'
            : d.preset === 'outlook' ? 'Tenant: consumers (personal accounts only) or common (personal and work accounts)'
              : 'Tenant: organizations, common, consumers, a Directory (tenant) ID or a verified domain',
          placeholder: PRESETS[d.preset].tenant,
          value: d.tenant ?? (appOnly ? d.address.split('@')[1] ?? '' : PRESETS[d.preset].tenant),
        };
      },
    }),
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
    fieldStep({
      applies: (d) => d.preset === 'custom', field: 'caFile', subject: 'The CA file', optional: true, change: (_d, caFile) => ({ caFile }),
      question: (d) => ({
        prompt: 'Extra CA certificates to trust (PEM file), for servers with a private CA; leave empty for none',
        placeholder: '/path/to/ca.pem',
        value: d.caFile,
        browseFiles: { label: 'Choose a CA File', filters: { 'PEM certificates': ['pem', 'crt', 'cer'] } },
      }),
    }),
    choiceStep('vscodeProvider', {
      applies: (d) => d.preset === 'custom' && d.authMode === 'vscode',
      placeholder: 'VS Code\'s authentication provider',
      items: [
        { label: 'Microsoft', description: 'microsoft', detail: 'Microsoft\'s global cloud', value: 'microsoft' },
        { label: 'Microsoft Sovereign Cloud', description: 'microsoft-sovereign-cloud', detail: 'The cloud set in VS Code\'s setting microsoft-sovereign-cloud.environment', value: 'microsoft-sovereign-cloud' },
      ],
    }),
    choiceStep('credential', {
      applies: (d) => d.authMode === 'client-credentials',
      placeholder: 'How the app proves who it is',
      items: [
        { label: 'Client secret', description: 'secret', detail: 'A secret from Certificates & secrets; kept in VS Code\'s secret storage', value: 'secret' },
        { label: 'Certificate', description: 'certificate', detail: 'A certificate uploaded to the registration; its private key is kept in VS Code\'s secret storage', value: 'certificate' },
      ],
    }),
    inputStep({
      applies: (d) => appSecretOf(d) === 'clientSecret',
      question: (d) => ({
        prompt: 'Client secret (its Value, not its Secret ID); kept in VS Code\'s secret storage, never in settings',
        password: true,
        value: d.clientSecret,
      }),
      validate: (_d, text) => (text ? undefined : 'Enter the client secret\'s value from Certificates & secrets'),
      keep: (d, text) => {
        d.clientSecret = text;
      },
    }),
    fieldStep({
      applies: (d) => appSecretOf(d) === 'certificatePrivateKey', field: 'certificateThumbprint', subject: 'The thumbprint',
      change: (_d, certificateThumbprint) => ({ certificateThumbprint }),
      question: (d) => ({ prompt: 'SHA-256 thumbprint of the certificate registered for the app', placeholder: '64 hexadecimal digits', value: d.certificateThumbprint }),
    }),
    inputStep({
      applies: (d) => appSecretOf(d) === 'certificatePrivateKey',
      question: (d) => ({
        prompt: 'Private key of the certificate (PEM file): it is read now and kept in VS Code\'s secret storage; the path is not kept',
        placeholder: '/path/to/private-key.pem',
        value: d.privateKeyFile,
        browseFiles: { label: 'Choose the Private Key', filters: { 'PEM private keys': ['pem', 'key'] } },
      }),
      validate: (_d, text) => {
        const read = readPrivateKeyFile(text);
        return 'problem' in read ? `The private key file ${read.problem}` : undefined;
      },
      keep: (d, text) => {
        const read = readPrivateKeyFile(text);
        // The input checked the file; it can only fail here if it changed since: ask again.
        if ('problem' in read) return false;
        d.privateKeyFile = text;
        d.certificatePrivateKey = read.pem;
        return true;
      },
    }),
    inputStep({
      question: (d) => ({
        prompt: `Shared mailboxes this sign-in also opens, separated by commas; leave empty for none. ${d.authMode === 'client-credentials'
          ? 'The app needs a mailbox permission on each (Add-MailboxPermission for its service principal).'
          : `${d.address} needs FullAccess on each (Add-MailboxPermission), and SendAs to send as it (Add-RecipientPermission).`}`,
        placeholder: 'support@contoso.com, alerts@contoso.com',
        value: d.sharedMailboxes.join(', '),
      }),
      validate: (d, text) => {
        const typed = typedSharedMailboxes(d, text);
        return 'problem' in typed ? typed.problem : undefined;
      },
      keep: (d, text) => {
        const typed = typedSharedMailboxes(d, text);
        if ('problem' in typed) return false;
        d.sharedMailboxes = typed.mailboxes;
        return true;
      },
    }),
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
    caFile: '', vscodeProvider: 'microsoft', credential: 'secret', clientSecret: '', certificateThumbprint: '', privateKeyFile: '', sharedMailboxes: [],
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
  const secret = appSecretOf(draft);
  return {
    setting: toSetting(draft),
    clientSecret: secret === 'clientSecret' ? draft.clientSecret : undefined,
    certificatePrivateKey: secret === 'certificatePrivateKey' ? draft.certificatePrivateKey : undefined,
  };
}
