import { CliError } from './cli-error';

/**
 * A runtime's admin root as a base URL ending in "/": "http://host:1880", "host:1880/admin" and
 * "http://host:1880/admin/" name the same thing. Only http and https; no user or password in it.
 */
export function adminRootUrl(text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError('usage', `${JSON.stringify(text)} is not a URL: give Node-RED's admin root, e.g. http://host:1880/.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('usage', `${JSON.stringify(text)} is not an http or https URL.`);
  }
  if (url.username || url.password) {
    throw new CliError('usage', 'Put no user or password in the URL: use --user or --token.');
  }
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The key of a runtime in the known-runtimes file. */
export function urlKey(url: URL): string {
  return url.href;
}
