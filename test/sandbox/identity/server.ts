/**
 * Routing: which path is which endpoint, request counting, fault injection, and turning an
 * EntraError into Entra's JSON reply. The endpoints themselves live in their own files.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { authorize, AuthorizeOutcome, completeSignIn } from './authorize';
import { CountedEndpoint, PlatformContext } from './context';
import { controlRoute, IdentityControl } from './control';
import { showDeviceLogin, submitDeviceLogin } from './device-login';
import { openIdConfiguration, signingKeys } from './discovery';
import { EntraError, errorBody } from './errors';
import { startDeviceCode } from './flows/device-code';
import { issueTokens } from './flows/token-endpoint';
import { readBody, sendHtml, sendJson, sendRedirect } from './http';
import { signedOutPage } from './pages';
import { resolveAuthority } from './tenancy';

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

interface Route {
  endpoint: CountedEndpoint;
  methods: string[];
  pattern: RegExp;
  handle: (context: PlatformContext, exchange: Exchange) => Promise<void>;
}

/** One request in flight, with what every endpoint needs from it. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** Path captures: the tenant segment first. */
  captures: string[];
  correlationId?: string;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(request));
}

function sendEntraError(context: PlatformContext, exchange: Exchange, failure: EntraError): void {
  const body = errorBody(failure, context.baseUrl, exchange.correlationId);
  sendJson(exchange.response, failure.status, body, { 'x-ms-request-id': body.trace_id, 'client-request-id': body.correlation_id });
}

function sendAuthorizeOutcome(exchange: Exchange, outcome: AuthorizeOutcome): void {
  if (outcome.kind === 'redirect') sendRedirect(exchange.response, outcome.location);
  else if (outcome.kind === 'form_post') sendHtml(exchange.response, 200, outcome.html);
  else sendHtml(exchange.response, outcome.status, outcome.html);
}

const TENANT = '([^/]+)';

const ROUTES: Route[] = [
  {
    endpoint: 'openid', methods: ['GET'], pattern: new RegExp(`^/${TENANT}/v2\\.0/\\.well-known/openid-configuration$`),
    handle: async (context, exchange) => {
      sendJson(exchange.response, 200, openIdConfiguration(context, resolveAuthority(exchange.captures[0])));
    },
  },
  {
    endpoint: 'keys', methods: ['GET'], pattern: new RegExp(`^/${TENANT}/discovery/v2\\.0/keys$`),
    handle: async (context, exchange) => {
      resolveAuthority(exchange.captures[0]);
      sendJson(exchange.response, 200, signingKeys(context));
    },
  },
  {
    endpoint: 'authorize', methods: ['GET', 'POST'], pattern: new RegExp(`^/${TENANT}/oauth2/v2\\.0/authorize$`),
    handle: async (context, exchange) => {
      const params = exchange.request.method === 'POST' ? await readForm(exchange.request) : exchange.url.searchParams;
      sendAuthorizeOutcome(exchange, authorize(context, exchange.captures[0], Object.fromEntries(params), exchange.correlationId));
    },
  },
  {
    endpoint: 'login', methods: ['POST'], pattern: new RegExp(`^/${TENANT}/login$`),
    handle: async (context, exchange) => {
      sendAuthorizeOutcome(exchange, completeSignIn(context, await readForm(exchange.request), exchange.correlationId));
    },
  },
  {
    endpoint: 'token', methods: ['POST'], pattern: new RegExp(`^/${TENANT}/oauth2/v2\\.0/token$`),
    handle: async (context, exchange) => {
      const form = await readForm(exchange.request);
      const grantType = form.get('grant_type') ?? undefined;
      context.counts.add('token', grantType);
      const fault = context.faults.take('token', grantType, form.get('client_id') ?? undefined);
      if (fault) throw fault;
      await context.tokenRepliesHeld;
      const tokens = issueTokens(context, {
        form,
        authorization: headerValue(exchange.request, 'authorization'),
        authority: resolveAuthority(exchange.captures[0]),
        tokenUrl: `${context.baseUrl}${exchange.url.pathname}`,
      });
      sendJson(exchange.response, 200, tokens);
    },
  },
  {
    endpoint: 'devicecode', methods: ['POST'], pattern: new RegExp(`^/${TENANT}/oauth2/v2\\.0/devicecode$`),
    handle: async (context, exchange) => {
      const form = await readForm(exchange.request);
      const fault = context.faults.take('devicecode', undefined, form.get('client_id') ?? undefined);
      if (fault) throw fault;
      sendJson(exchange.response, 200, startDeviceCode(context, form, resolveAuthority(exchange.captures[0])));
    },
  },
  {
    endpoint: 'logout', methods: ['GET', 'POST'], pattern: new RegExp(`^/${TENANT}/oauth2/v2\\.0/logout$`),
    handle: async (_context, exchange) => {
      const next = exchange.url.searchParams.get('post_logout_redirect_uri');
      if (next) sendRedirect(exchange.response, next);
      else sendHtml(exchange.response, 200, signedOutPage());
    },
  },
  {
    endpoint: 'devicelogin', methods: ['GET', 'POST'], pattern: /^\/devicelogin$/,
    handle: async (context, exchange) => {
      if (exchange.request.method === 'GET') {
        sendHtml(exchange.response, 200, showDeviceLogin(exchange.url.searchParams));
        return;
      }
      const result = submitDeviceLogin(context, await readForm(exchange.request));
      sendHtml(exchange.response, result.status, result.html);
    },
  },
];

async function handleControl(context: PlatformContext, control: IdentityControl, exchange: Exchange): Promise<void> {
  const raw = exchange.request.method === 'POST' ? await readBody(exchange.request) : '';
  let body: Record<string, unknown>;
  try {
    body = raw ? JSON.parse(raw) as Record<string, unknown> : {};
  } catch {
    sendJson(exchange.response, 400, { error: 'invalid_request', error_description: 'The control API takes a JSON body.' });
    return;
  }
  const route = exchange.url.pathname.slice('/_sandbox/'.length);
  const reply = controlRoute(context, control, exchange.request.method ?? 'GET', route, body);
  sendJson(exchange.response, reply.status, reply.body);
}

export function createRequestHandler(context: PlatformContext, control: IdentityControl): Handler {
  return async (request, response, url) => {
    const exchange: Exchange = { request, response, url, captures: [], correlationId: headerValue(request, 'client-request-id') };
    try {
      if (url.pathname.startsWith('/_sandbox/')) {
        await handleControl(context, control, exchange);
        return;
      }
      for (const route of ROUTES) {
        const match = route.pattern.exec(url.pathname);
        if (!match || !route.methods.includes(request.method ?? 'GET')) continue;
        exchange.captures = match.slice(1).map(decodeURIComponent);
        // The token endpoint counts itself, per grant type, once it has read the body.
        if (route.endpoint !== 'token') context.counts.add(route.endpoint);
        await route.handle(context, exchange);
        return;
      }
      context.counts.add('other');
      sendJson(response, 404, { error: 'not_found', error_description: `No endpoint ${request.method} ${url.pathname} on the sandbox identity platform.` });
    } catch (error) {
      if (error instanceof EntraError) {
        sendEntraError(context, exchange, error);
        return;
      }
      if (!response.headersSent) sendJson(response, 500, { error: 'server_error', error_description: String(error) });
      else response.destroy();
    }
  };
}
