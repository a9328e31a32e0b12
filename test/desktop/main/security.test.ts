import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  isAllowedNavigation,
  isAllowedPermission,
  SECURITY_HEADERS,
  WEB_PREFERENCES,
} from '../../../src-desktop/main/security';

const root = join(import.meta.dirname, '../../..');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('window security settings', () => {
  it('isolate the renderer: context isolation, sandbox, no Node anywhere, no webviews', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(Object.isFrozen(WEB_PREFERENCES)).toBe(true);
  });

  it('the CSP allows only the app itself: no remote, inline or eval code', () => {
    const csp = directives(CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(directives(CONTENT_SECURITY_POLICY_HEADER).get('frame-ancestors')).toEqual(["'none'"]);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  it('index.html carries exactly that CSP', () => {
    const html = readFileSync(join(root, 'src-desktop/renderer/index.html'), 'utf8');
    // The attributes may sit on separate lines (the formatter wraps a long tag).
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
  });

  it.each([
    ['file:///app/out/renderer/index.html#/events', 'file:///app/out/renderer/index.html', true],
    ['file:///app/out/renderer/index.html?x=1', 'file:///app/out/renderer/index.html', true],
    ['file:///etc/passwd', 'file:///app/out/renderer/index.html', false],
    ['https://evil.example/', 'file:///app/out/renderer/index.html', false],
    ['http://localhost:5173/#/stats', 'http://localhost:5173/', true],
    ['http://localhost:5174/', 'http://localhost:5173/', false],
    ['javascript:alert(1)', 'file:///app/out/renderer/index.html', false],
    ['not a url', 'file:///app/out/renderer/index.html', false],
  ])('navigation to %s from %s allowed: %s', (target, app, allowed) => {
    expect(isAllowedNavigation(target, app)).toBe(allowed);
  });

  it('grants no permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(isAllowedPermission(p)).toBe(false);
  });
});
