/** Why a listen failed, in words; undefined for an error that is no listen failure. */
export function explainListenError(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'EADDRINUSE':
      return 'the address is already in use (another daemon or program listens there)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EADDRNOTAVAIL':
      return 'the address is not one of this machine\'s';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'the host name does not resolve';
    case 'ERR_SOCKET_BAD_PORT':
      return 'the port is not from 0 to 65535';
    case 'EAFNOSUPPORT':
      return 'this address family is not supported here';
    default:
      return undefined;
  }
}
