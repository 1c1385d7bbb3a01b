/**
 * Public surface of the core for app, protocols, CLI and tests.
 */
export * from './types.js';
export { createCoreServices, type CoreServicesHandle, type CoreServicesOptions } from './services.js';
export { MemoryDefender, defenderId, ipFromDefenderId, validateDefenderConfig } from './defender/defender.js';
export { IpList, cidrList, parseIp, parseCidr } from './defender/iplist.js';
export { RateLimiters, RateLimiter } from './ratelimit/ratelimiter.js';
export { readProxyHeader, parseProxyHeader, proxyOptionsFromConfig, PROXY_HEADER_TIMEOUT_MS, type ProxyOptions, type ProxyAddress } from './proxy/proxy-protocol.js';
export { NodeHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from './httpclient/client.js';
export { createHooks, runStartupHook, UserActions, DEFAULT_HOOK_TIMEOUTS, checkHookPrograms, hookProgramProblem, type Hooks, type HookTimeouts, type UserAction } from './hooks/index.js';
export { Gate } from './gate/gate.js';
export { AuthServiceImpl, loginMethodOf } from './auth/service.js';
export { protocolFamily, isIpAllowed } from './auth/checks.js';
export { keyBlob, keyFingerprint, userHasKey } from './auth/credentials.js';
export { QuotaScans } from './quotascan/registry.js';
