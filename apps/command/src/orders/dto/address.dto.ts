import { z } from 'zod';
import { text } from '../../command-handling/body-fields';

export const AddressSchema = z.strictObject({
  street: text('street', 200, '1 Main St'),
  city: text('city', 100, 'Springfield'),
  state: text('state', 100, 'IL', false),
  zipcode: text('zipcode', 20, '62701'),
  country: text('country', 100, 'US'),
});
