/**
 * The served viewer arrives as `/?token=…`; once the page has loaded, the server's HttpOnly
 * cookie carries the token, so it leaves the address bar (and the history entry, and anything
 * a screenshot or a copied link would show). Hash routes are kept.
 */
export function removeTokenFromAddressBar(location: Location = window.location, history: History = window.history): boolean {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return false;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return true;
}
