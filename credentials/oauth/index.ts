/** OAuth2 connections: token requests, when to refresh, single-flight refresh and write-back. */
export { TokenRefresher, type RefresherOptions, type RefresherEvents } from './token-refresher';
export { requestToken, TokenRequestError, type TokenSet, type TokenRequest, type TokenFailure } from './token-request';
export { isOAuthType } from './token-policy';
export { tokenEndpoint } from './token-url';
export { applyTokenPolicy } from './write-policy';
