import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class AddressDto {
  /** @example "1 Main St" */
  @IsString() @IsNotEmpty() @MaxLength(200) street!: string;
  /** @example "Springfield" */
  @IsString() @IsNotEmpty() @MaxLength(100) city!: string;
  /** @example "IL" */
  @IsString() @MaxLength(100) state!: string;
  /** @example "62701" */
  @IsString() @IsNotEmpty() @MaxLength(20) zipcode!: string;
  /** @example "US" */
  @IsString() @IsNotEmpty() @MaxLength(100) country!: string;
}
