import { ConfigurationError, parseConfig } from '../../../shared/config/config';

describe('parseConfig', () => {
  it('defaults to the local demo project and info logging', () => {
    expect(parseConfig({})).toEqual({
      projectId: 'demo-event-manager',
      firestoreEmulatorHost: undefined,
      authEmulatorHost: undefined,
      logLevel: 'info',
    });
  });

  it('prefers GCLOUD_PROJECT over GOOGLE_CLOUD_PROJECT', () => {
    expect(parseConfig({ GCLOUD_PROJECT: 'a', GOOGLE_CLOUD_PROJECT: 'b' }).projectId).toBe('a');
    expect(parseConfig({ GOOGLE_CLOUD_PROJECT: 'b' }).projectId).toBe('b');
  });

  it('refuses the Auth emulator against a project that is not a demo project', () => {
    expect(() =>
      parseConfig({ GCLOUD_PROJECT: 'acme-prod', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }),
    ).toThrow(ConfigurationError);
    expect(
      parseConfig({ GCLOUD_PROJECT: 'demo-x', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })
        .authEmulatorHost,
    ).toBe('127.0.0.1:9099');
  });

  it('names the variable that is malformed', () => {
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
