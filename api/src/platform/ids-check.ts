import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { AppError, ErrorCode } from './errors.js';
import { isUuid } from './ids.js';

/**
 * Every id in the API is a UUID. An argument of type ID that is not one names nothing, so it is
 * answered NOT_FOUND before any resolver or SQL runs (the same answer as another tenant's id).
 */
export function assertIdsWellFormed(args: readonly GraphQLArgument[], values: Record<string, unknown>): void {
  for (const arg of args) visit(arg.type, values[arg.name], arg.name);
}

function visit(type: GraphQLInputType, value: unknown, path: string): void {
  if (value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (Array.isArray(value)) value.forEach((v, i) => visit(t.ofType, v, `${path}[${i}]`));
    return;
  }
  if (isInputObjectType(t)) {
    for (const field of Object.values(t.getFields())) visit(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`);
    return;
  }
  if (getNamedType(t).name === 'ID' && !(typeof value === 'string' && isUuid(value))) {
    throw new AppError(ErrorCode.NOT_FOUND, `Nothing was found with the id in ${path}`, { field: path });
  }
}
