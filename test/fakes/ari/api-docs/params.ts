// Builders for Swagger parameters, so the resource files read as a list of
// what each operation takes rather than a wall of repeated keys.
import type { AllowableValues, SwaggerParameter } from './types.js';

export function pathParam(name: string, description: string): SwaggerParameter {
  return { name, description, paramType: 'path', required: true, allowMultiple: false, dataType: 'string' };
}

interface QueryParamOptions {
  required?: boolean;
  allowMultiple?: boolean;
  defaultValue?: string | number | boolean;
  allowableValues?: AllowableValues;
}

export function queryParam(
  name: string,
  dataType: 'string' | 'int' | 'boolean',
  description: string,
  options: QueryParamOptions = {},
): SwaggerParameter {
  const param: SwaggerParameter = {
    name,
    description,
    paramType: 'query',
    required: options.required ?? false,
    allowMultiple: options.allowMultiple ?? false,
    dataType,
  };
  if (options.defaultValue !== undefined) param.defaultValue = options.defaultValue;
  if (options.allowableValues !== undefined) param.allowableValues = options.allowableValues;
  return param;
}

export function listOf(...values: string[]): AllowableValues {
  return { valueType: 'LIST', values };
}
