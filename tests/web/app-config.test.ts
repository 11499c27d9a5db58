import { ConfigError, configScript, parseAppConfig } from '../../web/shared/app-config';

describe('APP_CONFIG', () => {
  it('writes a config.js that defines window.APP_CONFIG, trailing slashes removed', () => {
    const script = configScript({ apiBaseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/Prod/' });
    const window: { APP_CONFIG?: unknown } = {};
    new Function('window', script)(window);
    expect(window.APP_CONFIG).toEqual({
      apiBaseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/Prod',
      local: false,
    });
  });

  it('never lets a value close the script element', () => {
    expect(configScript({ apiBaseUrl: '</script><script>alert(1)</script>' })).not.toContain('</script>');
  });

  it('rejects a malformed configuration with a named error', () => {
    expect(() => parseAppConfig(undefined)).toThrow(ConfigError);
    expect(() => parseAppConfig({})).toThrow('APP_CONFIG.apiBaseUrl must be a string.');
    expect(() => parseAppConfig({ apiBaseUrl: '', local: 'yes' })).toThrow('APP_CONFIG.local must be true or false.');
    expect(() => parseAppConfig({ apiBaseUrl: '', services: [{ name: 'x' }] })).toThrow('APP_CONFIG.services');
    expect(() => configScript({ apiBaseUrl: 3 as unknown as string })).toThrow(ConfigError);
  });
});
