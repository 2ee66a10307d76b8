import { describe, expect, it } from '@jest/globals';
import { AppConfig } from './app-config.js';

describe('AppConfig', () => {
  it('keeps sessions at most 7 days: an admin session is what the human-only changes rely on', () => {
    expect(new AppConfig({}).sessionTtlSeconds).toBe(86_400);
    expect(new AppConfig({ SESSION_TTL_SECONDS: '604800' }).sessionTtlSeconds).toBe(604_800);
    expect(() => new AppConfig({ SESSION_TTL_SECONDS: '604801' })).toThrow(/SESSION_TTL_SECONDS/);
    expect(() => new AppConfig({ SESSION_TTL_SECONDS: '31536000' })).toThrow(/SESSION_TTL_SECONDS/);
  });
});
