export interface Address {
  street: string;
  city: string;
  state: string;
  zipcode: string;
  country: string;
}
