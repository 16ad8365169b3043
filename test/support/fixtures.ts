import type { Address } from '../../libs/domain/src';

/** The address every test and bench order ships to: one place, so a change to addresses is one edit. */
export const ADDRESS: Address = {
  street: '1 Main St',
  city: 'Springfield',
  state: 'IL',
  zipcode: '62701',
  country: 'US',
};
