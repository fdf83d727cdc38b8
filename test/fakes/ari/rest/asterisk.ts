// /asterisk/info: enough for an app to log which Asterisk it talks to.
// /asterisk/variable: global variables, which the dialplan reads (MCR_OPEN_*).
import { AriHttpError } from '../errors.js';
import type { OperationParams } from '../router.js';
import { noContent, ok, type OperationHandlers, type RestDeps } from './handler-types.js';

export const FAKE_ASTERISK_VERSION = '22.5.0';

export function asteriskHandlers({ state, asteriskId, startedAt }: RestDeps): OperationHandlers {
  return {
    // Like Asterisk: an unset global reads as "" (200), and setting one without
    // a value removes it.
    'asterisk.getGlobalVar': (params) => ok({ value: state.globals.get(variableName(params)) ?? '' }),
    'asterisk.setGlobalVar': (params) => {
      const variable = variableName(params);
      const value = params.string('value');
      if (value === undefined) state.globals.delete(variable);
      else state.globals.set(variable, value);
      return noContent();
    },
    'asterisk.getInfo': (params) => {
      const started = startedAt();
      const sections: Record<string, unknown> = {
        build: { os: 'Linux', kernel: '6.1.0', options: '', machine: 'x86_64', date: '2026-01-01 00:00:00 UTC', user: 'fake-ari' },
        system: { version: FAKE_ASTERISK_VERSION, entity_id: asteriskId },
        config: { name: '', default_language: 'en', setid: { user: '', group: '' } },
        status: { startup_time: started, last_reload_time: started },
      };
      const only = params.list('only');
      if (only.length === 0) return ok(sections);
      return ok(Object.fromEntries(Object.entries(sections).filter(([key]) => only.includes(key))));
    },
  };
}

function variableName(params: OperationParams): string {
  const variable = params.requiredString('variable');
  if (variable === '') throw new AriHttpError(400, 'Variable name is required');
  return variable;
}
