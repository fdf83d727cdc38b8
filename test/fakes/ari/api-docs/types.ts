// Shapes of the Swagger 1.1/1.2 documents Asterisk serves under /ari/api-docs.
// Kept narrow on purpose: only the keys Asterisk uses and swagger-client 2.0.x reads.

export type SwaggerVersion = '1.1' | '1.2';

export type AllowableValues =
  | { valueType: 'LIST'; values: string[] }
  | { valueType: 'RANGE'; min?: number; max?: number };

export interface SwaggerParameter {
  name: string;
  description: string;
  paramType: 'path' | 'query' | 'body' | 'header' | 'form';
  required: boolean;
  allowMultiple: boolean;
  dataType: string;
  defaultValue?: string | number | boolean;
  allowableValues?: AllowableValues;
}

export interface SwaggerErrorResponse {
  code: number;
  reason: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SwaggerOperation {
  httpMethod: HttpMethod;
  summary: string;
  notes?: string;
  nickname: string;
  responseClass: string;
  /** Only on the events WebSocket. */
  upgrade?: 'websocket';
  websocketProtocol?: string;
  parameters?: SwaggerParameter[];
  errorResponses?: SwaggerErrorResponse[];
}

export interface SwaggerApi {
  path: string;
  description: string;
  operations: SwaggerOperation[];
}

export interface SwaggerModelProperty {
  type: string;
  required?: boolean;
  description?: string;
  allowableValues?: AllowableValues;
}

export interface SwaggerModel {
  id: string;
  description: string;
  discriminator?: string;
  subTypes?: string[];
  properties: Record<string, SwaggerModelProperty>;
}

export interface ApiDeclaration {
  apiVersion: string;
  swaggerVersion: SwaggerVersion;
  basePath: string;
  resourcePath: string;
  apis: SwaggerApi[];
  models: Record<string, SwaggerModel>;
}

export interface ResourceListing {
  apiVersion: string;
  swaggerVersion: SwaggerVersion;
  basePath: string;
  apis: { path: string; description: string }[];
}

/** Asterisk's placeholder; the server rewrites it per request from the Host header. */
export const PLACEHOLDER_BASE_PATH = 'http://localhost:8088/ari';
