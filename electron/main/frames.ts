// Which frame may call the core over IPC (issue 11): the app's own page and nothing else, compared by
// exact equality of the URL (a fragment aside), not by a substring (`url.includes('/out/renderer/')`
// had accepted any file:// page under any folder named out/renderer). No Electron import: unit-tested.

export function isOwnFrameUrl(url: string | undefined | null, ownUrl: string): boolean {
  if (!url) return false;
  // The page may change its own fragment; nothing else about its address may differ.
  const hash = url.indexOf('#');
  return (hash < 0 ? url : url.slice(0, hash)) === ownUrl;
}
