/** OAuth2 connections: token requests, when to refresh, single-flight refresh and write-back. */
export { TokenRefresher, needsReauth, type RefresherOptions, type RefresherEvents } from './token-refresher';
export { requestToken, TokenRequestError, type TokenSet, type TokenRequest, type TokenFailure } from './token-request';
export { isOAuthType, tokenIsFresh, tokenIsUsable, refreshMarginMs, OAUTH_TYPES } from './token-policy';
export { tokenEndpoint } from './token-url';
export { applyTokenPolicy } from './write-policy';
