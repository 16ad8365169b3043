import { assertAdminTokenIsPrivate, DEV_ADMIN_TOKEN } from './admin-token';
import { ConfigError } from './env';

describe('the admin token at start', () => {
  it('refuses the public development token outside the local stack', () => {
    expect(() => assertAdminTokenIsPrivate({ ADMIN_TOKEN: DEV_ADMIN_TOKEN })).toThrow(ConfigError);
    expect(() => assertAdminTokenIsPrivate({ ADMIN_TOKEN: DEV_ADMIN_TOKEN, OF_LOCAL_STACK: '0' })).toThrow(
      /only on the local stack/,
    );
  });

  it('takes it on the local stack, and takes any other token or none anywhere', () => {
    expect(() => assertAdminTokenIsPrivate({ ADMIN_TOKEN: DEV_ADMIN_TOKEN, OF_LOCAL_STACK: '1' })).not.toThrow();
    expect(() => assertAdminTokenIsPrivate({ ADMIN_TOKEN: 'a-secret-of-my-own' })).not.toThrow();
    expect(() => assertAdminTokenIsPrivate({})).not.toThrow();
  });
});
