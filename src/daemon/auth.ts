import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { FailureLogLimiter } from './auth-failure-log.js';

export type AccessScope = 'read' | 'write';

/** Decides whether a request may act: false answers 403; a thrown {@link AuthError} answers its status. */
export type Authorize = (request: FastifyRequest, scope: AccessScope) => boolean | void | Promise<boolean | void>;

export interface ApiToken {
  name: string;
  token: string;
  scopes: ReadonlyArray<AccessScope>;
}

/** A refused request: 401 (no or unknown token) or 403 (not allowed). Its code and message go to the client. */
export class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    readonly code: 'unauthorized' | 'forbidden',
    message: string,
    /** For the log, never the client: why, and the token's name when the token is known. */
    readonly reason: 'missing_token' | 'malformed_header' | 'unknown_token' | 'no_tokens_configured' | 'wrong_scope',
    readonly tokenName?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface AuthorizerOptions {
  /** Unix seconds, for rate-limiting the failure log; the wall clock by default. */
  now?: () => number;
  /** At most one failure line per token name or client address per this many seconds (default 60). */
  failureLogInterval?: number;
}

// Fixed-length digests: comparing them takes the same time whatever the presented token's length.
const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Bearer tokens with read and write scopes. Without configured tokens the API is read-only and open
 * (the daemon listens on loopback by default); writes need a token with the write scope. Failures are logged
 * (rate-limited, with the token's name when the token is known), never with the token itself.
 */
export function createAuthorizer(tokens: readonly ApiToken[], options: AuthorizerOptions = {}): Authorize & { tokenName(request: FastifyRequest): string | undefined } {
  const known = tokens.map((token) => ({ token, digest: digest(token.token) }));
  const now = options.now ?? (() => Date.now() / 1000);
  const limiter = new FailureLogLimiter(options.failureLogInterval ?? 60);

  const find = (request: FastifyRequest): ApiToken | undefined => {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AuthError(401, 'unauthorized', 'expected an Authorization: Bearer <token> header', 'malformed_header');
    const presented = digest(match[1]!);
    let found: ApiToken | undefined;
    for (const candidate of known) if (timingSafeEqual(candidate.digest, presented) && found === undefined) found = candidate.token;
    if (!found) throw new AuthError(401, 'unauthorized', 'unknown bearer token', 'unknown_token');
    return found;
  };

  const check = (request: FastifyRequest, scope: AccessScope): true => {
    const token = find(request);
    if (!token) {
      if (tokens.length === 0 && scope === 'read') return true;
      if (tokens.length === 0) throw new AuthError(403, 'forbidden', 'writes need a bearer token with the write scope: configure api.tokens in burnrate.yaml', 'no_tokens_configured');
      throw new AuthError(401, 'unauthorized', 'this endpoint needs a bearer token (Authorization: Bearer <token>)', 'missing_token');
    }
    if (!token.scopes.includes(scope)) throw new AuthError(403, 'forbidden', `token "${token.name}" has no ${scope} scope`, 'wrong_scope', token.name);
    return true;
  };

  const authorize = (request: FastifyRequest, scope: AccessScope): boolean => {
    try {
      return check(request, scope);
    } catch (error) {
      if (error instanceof AuthError) logFailure(request, scope, error);
      throw error;
    }
  };

  const logFailure = (request: FastifyRequest, scope: AccessScope, error: AuthError) => {
    const key = error.tokenName !== undefined ? `token ${error.tokenName}` : `address ${request.ip}`;
    const failures = limiter.note(key, now());
    if (failures === undefined) return;
    request.log.warn(
      { reason: error.reason, ...(error.tokenName !== undefined && { token: error.tokenName }), ip: request.ip, method: request.method, path: request.url.split('?')[0], scope, status: error.statusCode, failures },
      failures === 1 ? 'API request refused' : `API request refused (${failures} times since the last such line)`,
    );
  };

  return Object.assign(authorize, {
    tokenName: (request: FastifyRequest) => {
      try {
        return find(request)?.name;
      } catch {
        return undefined;
      }
    },
  });
}
