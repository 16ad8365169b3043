import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { createZodValidationPipe } from 'nestjs-zod';
import type { z } from 'zod';
import { type FieldError, ValidationFailedError } from '../errors/application.errors';

function join(parent: string, property: string | number): string {
  if (typeof property === 'number' || /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's tree into `{field, message}` with JSON paths like `items[0].quantity`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = join(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Zod's issues as `{field, message}`, the first issue per field (as
 * class-validator's stopAtFirstError did); an unknown property is named as
 * its own field.
 */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  const errors = new Map<string, string>();
  for (const issue of error.issues) {
    const at = issue.path.reduce<string>((parent, key) => join(parent, key as string | number), '');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.set(join(at, key), `property ${key} should not exist`);
    } else if (!errors.has(at)) {
      errors.set(at, issue.message);
    }
  }
  return [...errors].map(([field, message]) => ({ field: field || 'body', message }));
}

/**
 * Strict: unknown properties are rejected, nothing is coerced implicitly, and
 * every failure becomes one 400 VALIDATION_FAILED listing each field.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}

const ZodPipe = createZodValidationPipe({
  createValidationException: (error) => new ValidationFailedError(zodFieldErrors(error as z.ZodError)),
});

// nestjs-zod exports its own isZodDto only from a subpath that our module resolution (node10) cannot see.
function isZodDto(metatype: unknown): boolean {
  return typeof metatype === 'function' && (metatype as { isZodDto?: unknown }).isZodDto === true;
}

/**
 * Request bodies typed with a zod DTO (`createZodDto`) are checked by its
 * compiled schema, everything else by class-validator. The command bodies
 * use zod: on the hot path class-transformer and class-validator cost more
 * than the decision itself (docs/decisions/0005). Both answer the same 400.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  private readonly zod = new ZodPipe();
  private readonly classes = strictValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!isZodDto(metadata.metatype)) return this.classes.transform(value, metadata);
    // An absent body is an empty object, as class-validator's pipe treats it.
    return this.zod.transform(value ?? {}, metadata);
  }
}
