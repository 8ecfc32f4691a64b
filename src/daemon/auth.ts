import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export type AccessScope = 'read' | 'write';

/** Decides whether a request may act: false answers 403; a thrown error with `statusCode` answers that status. */
export type Authorize = (request: FastifyRequest, scope: AccessScope) => boolean | void | Promise<boolean | void>;

export interface ApiToken {
  name: string;
  token: string;
  scopes: ReadonlyArray<AccessScope>;
}

class AuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Bearer tokens with read and write scopes. Without configured tokens the API is read-only and open
 * (the daemon listens on loopback by default); writes need a token with the write scope.
 */
export function createAuthorizer(tokens: readonly ApiToken[]): Authorize & { tokenName(request: FastifyRequest): string | undefined } {
  const find = (request: FastifyRequest): ApiToken | undefined => {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AuthError(401, 'unauthorized', 'expected an Authorization: Bearer <token> header');
    const token = tokens.find((candidate) => same(candidate.token, match[1]!));
    if (!token) throw new AuthError(401, 'unauthorized', 'unknown bearer token');
    return token;
  };
  const authorize = (request: FastifyRequest, scope: AccessScope): boolean => {
    const token = find(request);
    if (!token) {
      if (tokens.length === 0 && scope === 'read') return true;
      if (tokens.length === 0) throw new AuthError(403, 'forbidden', 'writes need a bearer token with the write scope: configure api.tokens in burnrate.yaml');
      throw new AuthError(401, 'unauthorized', 'this endpoint needs a bearer token (Authorization: Bearer <token>)');
    }
    if (!token.scopes.includes(scope)) throw new AuthError(403, 'forbidden', `token "${token.name}" has no ${scope} scope`);
    return true;
  };
  return Object.assign(authorize, { tokenName: (request: FastifyRequest) => { try { return find(request)?.name; } catch { return undefined; } } });
}
