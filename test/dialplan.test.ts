/**
 * The Asterisk side of the plug-in, checked without an Asterisk: the dialplan is
 * parsed and run by a small interpreter that knows the handful of applications
 * it uses, so each DIALSTATUS is followed to where the call really ends up. The
 * config samples, the compose stack and the shipped prompt audio are checked
 * against each other.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = (...parts: string[]): string => path.join(root, ...parts);
const read = (...parts: string[]): string => readFileSync(file(...parts), 'utf8');

const APP = 'missed-call-recovery';
const DIALPLAN = 'dialplan/extensions_missed_call_recovery.conf';
const DEMO_DIALPLAN = 'docker/asterisk/extensions.conf';
const MISSED = ['NOANSWER', 'BUSY', 'CHANUNAVAIL', 'CONGESTION'] as const;

// ---------------------------------------------------------------------------
// A tiny Asterisk config / dialplan parser
// ---------------------------------------------------------------------------

interface Step {
  priority: number;
  label?: string;
  app: string;
  args: string;
  source: string;
}

interface Context {
  /** Extension name (literal or `_pattern`) to its steps, in priority order. */
  extensions: Map<string, Step[]>;
  includes: string[];
}

interface Dialplan {
  contexts: Map<string, Context>;
  /** Plain `key = value` lines per section ([general], [globals], ...). */
  settings: Map<string, Map<string, string>>;
  /** Files named by `#include`. */
  fileIncludes: string[];
}

/** Strips a `;` comment (but not an escaped `\;`) and surrounding blanks. */
function stripComment(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === ';') {
      out += ';';
      i++;
    } else if (line[i] === ';') {
      break;
    } else {
      out += line[i];
    }
  }
  return out.trim();
}

/** Splits `text` at `separator` where it is outside parentheses and quotes. */
function splitTopLevel(text: string, separator: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    if (char === separator && depth === 0 && !quoted && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** `App(args)` to its name and argument string. */
function splitApp(call: string): { app: string; args: string } {
  const match = /^([A-Za-z][A-Za-z0-9_]*)(?:\((.*)\))?$/s.exec(call.trim());
  if (!match) throw new Error(`not an application call: ${call}`);
  return { app: match[1]!, args: match[2] ?? '' };
}

function parseConfig(text: string, into?: Dialplan): Dialplan {
  const plan: Dialplan = into ?? { contexts: new Map(), settings: new Map(), fileIncludes: [] };
  let section = '';
  let exten = '';
  let priority = 0;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = stripComment(raw);
    if (!line) continue;
    const where = `line ${index + 1}: ${line}`;
    const include = /^#include\s+"?([^"]+?)"?$/.exec(line);
    if (include) {
      plan.fileIncludes.push(include[1]!);
      continue;
    }
    const header = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
    if (header) {
      section = header[1]!;
      if (!plan.settings.has(section)) plan.settings.set(section, new Map());
      continue;
    }
    const entry = /^(exten|same|include)\s*=>\s*(.*)$/.exec(line);
    if (!entry) {
      const setting = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
      if (!setting) throw new Error(`cannot parse ${where}`);
      plan.settings.get(section)!.set(setting[1]!, setting[2]!);
      continue;
    }
    let context = plan.contexts.get(section);
    if (!context) {
      context = { extensions: new Map(), includes: [] };
      plan.contexts.set(section, context);
    }
    const [kind, rest] = [entry[1]!, entry[2]!];
    if (kind === 'include') {
      context.includes.push(rest.trim());
      continue;
    }
    let fields: string[];
    if (kind === 'exten') {
      fields = splitTopLevel(rest, ',', 3);
      exten = fields.shift()!.trim();
    } else {
      if (!exten) throw new Error(`"same" before any "exten" at ${where}`);
      fields = splitTopLevel(rest, ',', 2);
    }
    const [priorityField, application] = fields as [string, string | undefined];
    const pri = /^(\d+|n)(?:\(([^)]+)\))?$/.exec(priorityField.trim());
    if (!pri || application === undefined) throw new Error(`bad priority or application at ${where}`);
    priority = pri[1] === 'n' ? priority + 1 : Number(pri[1]);
    const steps = context.extensions.get(exten) ?? [];
    context.extensions.set(exten, steps);
    if (steps.some((step) => step.priority === priority)) throw new Error(`duplicate priority ${priority} at ${where}`);
    steps.push({ priority, label: pri[2], ...splitApp(application), source: line });
  }
  return plan;
}

/** An Asterisk extension pattern (`_X.`, `_[+0-9s]!`, ...) as a RegExp. */
function patternToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 1; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '[') {
      const end = pattern.indexOf(']', i);
      out += `[${pattern.slice(i + 1, end).replace(/[\\^\]]/g, '\\$&')}]`;
      i = end;
    } else if (char === 'X' || char === 'x') out += '[0-9]';
    else if (char === 'Z' || char === 'z') out += '[1-9]';
    else if (char === 'N' || char === 'n') out += '[2-9]';
    else if (char === '.') out += '.+';
    else if (char === '!') out += '.*';
    else out += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function extensionMatches(name: string, dialled: string): boolean {
  return name.startsWith('_') ? patternToRegExp(name).test(dialled) : name === dialled;
}

/** Finds the steps Asterisk would run for `dialled` in `contextName` (exact first, then patterns, then includes). */
function findExtension(plan: Dialplan, contextName: string, dialled: string, seen = new Set<string>()): Step[] | undefined {
  const context = plan.contexts.get(contextName);
  if (!context || seen.has(contextName)) return undefined;
  seen.add(contextName);
  const exact = context.extensions.get(dialled);
  if (exact) return exact;
  for (const [name, steps] of context.extensions) if (name.startsWith('_') && extensionMatches(name, dialled)) return steps;
  for (const included of context.includes) {
    const found = findExtension(plan, included, dialled, seen);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// A tiny dialplan interpreter
// ---------------------------------------------------------------------------

/** `$[ ... ]` expressions: quoted or bare operands, = != & | and parentheses. */
function evaluateExpression(expression: string): string {
  const tokens = expression.match(/"[^"]*"|!=|[=&|()]|[^\s"=!&|()]+/g) ?? [];
  let at = 0;
  const operand = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`incomplete expression: ${expression}`);
    if (token === '(') {
      const value = or();
      if (tokens[at++] !== ')') throw new Error(`unbalanced expression: ${expression}`);
      return value;
    }
    return token.startsWith('"') ? token.slice(1, -1) : token;
  };
  const comparison = (): string => {
    const left = operand();
    const op = tokens[at];
    if (op !== '=' && op !== '!=') return left;
    at++;
    const right = operand();
    return (left === right) === (op === '=') ? '1' : '0';
  };
  const truthy = (value: string): boolean => value !== '' && value !== '0';
  const and = (): string => {
    let left = comparison();
    while (tokens[at] === '&') {
      at++;
      const right = comparison();
      left = truthy(left) && truthy(right) ? '1' : '0';
    }
    return left;
  };
  const or = (): string => {
    let left = and();
    while (tokens[at] === '|') {
      at++;
      const right = and();
      left = truthy(left) || truthy(right) ? '1' : '0';
    }
    return left;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`cannot evaluate: ${expression}`);
  return result;
}

interface Scenario {
  /**
   * What Dial() ends with. CANCEL: the caller hung up while it rang.
   * ANSWER_THEN_CALLER_HANGS_UP: answered, and the caller hung up first (Dial ends the dialplan).
   */
  dialStatus?: string;
  stasisStatus?: 'SUCCESS' | 'FAILED';
  globals?: Record<string, string>;
  channel?: Record<string, string>;
  /** The PBX's local time when the call arrives, for GotoIfTime (default: Wednesday 14 January, 10:00). */
  clock?: Clock;
  /** Loaded modules IFMODULE() reports (default none). */
  modules?: string[];
  /** The call's STIR/SHAKEN verification, as res_stir_shaken reports it; absent: no Identity came. */
  stirShakenResult?: string;
}

interface Clock {
  weekday: string;
  /** HH:MM */
  time: string;
  mday?: number;
  month?: string;
}

const DEFAULT_CLOCK: Required<Clock> = { weekday: 'wed', time: '10:00', mday: 14, month: 'jan' };
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** One `&`-separated list of values or `a-b` ranges (end included, wrapping, like Asterisk's), or `*`. */
function inRanges(spec: string, value: number, parse: (text: string) => number, size: number): boolean {
  if (spec === '*' || spec === '') return true;
  return spec.split('&').some((part) => {
    const [from, to] = part.split('-') as [string, string | undefined];
    const start = parse(from);
    if (to === undefined) return value === start;
    const end = parse(to);
    const length = ((((end - start) % size) + size) % size) + 1;
    return (((value - start) % size) + size) % size < length;
  });
}

/**
 * GotoIfTime's `times,weekdays,mdays,months` against a clock, as Asterisk's
 * main/pbx_timing.c reads them: every range includes its end (09:00-17:00
 * still matches during the minute 17:00) and wraps around (22:00-02:00,
 * fri-mon). A 5th field (a zone) is ignored: the clock is already local.
 */
function timingMatches(spec: string, clock: Clock): boolean {
  // ast_build_timing refuses an empty spec: GotoIfTime takes the false branch.
  if (spec.trim() === '') return false;
  const now = { ...DEFAULT_CLOCK, ...clock };
  const [times = '*', weekdays = '*', mdays = '*', months = '*'] = spec.split(',').map((field) => field.trim().toLowerCase());
  const minutes = (hhmm: string): number => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    return h * 60 + m;
  };
  const indexIn = (names: string[]) => (name: string): number => {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`GotoIfTime: unknown name ${name} in ${spec}`);
    return index;
  };
  return (
    inRanges(times, minutes(now.time), minutes, 1440) &&
    inRanges(weekdays, indexIn(WEEKDAY_NAMES)(now.weekday), indexIn(WEEKDAY_NAMES), 7) &&
    inRanges(mdays, now.mday - 1, (day) => Number(day) - 1, 31) &&
    inRanges(months, indexIn(MONTH_NAMES)(now.month), indexIn(MONTH_NAMES), 12)
  );
}

interface Executed {
  app: string;
  /** Arguments after variable substitution. */
  args: string;
  /** The dialplan line as written. */
  source: string;
  context: string;
  exten: string;
}

class Call {
  readonly log: Executed[] = [];
  /** Dialplan functions evaluated (by name), to prove which were never called. */
  readonly functionsCalled: string[] = [];
  private readonly vars = new Map<string, string>();
  private readonly stack: { context: string; exten: string; index: number; args: string[] }[] = [];
  private context: string;
  private exten: string;
  private index = 0;
  private hungUp = false;

  constructor(
    private readonly plan: Dialplan,
    private readonly scenario: Scenario,
    context: string,
    exten: string,
  ) {
    this.context = context;
    this.exten = exten;
    for (const [key, value] of Object.entries(scenario.channel ?? {})) this.vars.set(key, value);
  }

  private globals(): Map<string, string> {
    const fromConfig = this.plan.settings.get('globals') ?? new Map<string, string>();
    return new Map([...fromConfig, ...Object.entries(this.scenario.globals ?? {})]);
  }

  private variable(name: string): string {
    if (name === 'EXTEN') return this.exten;
    if (name === 'CONTEXT') return this.context;
    const args = this.stack.at(-1)?.args ?? [];
    const arg = /^ARG(\d+)$/.exec(name);
    if (arg) return args[Number(arg[1]) - 1] ?? '';
    const call = /^(GLOBAL|FILTER|IFMODULE|STIR_SHAKEN)\((.*)\)$/s.exec(name);
    if (call) this.functionsCalled.push(call[1]!);
    if (call?.[1] === 'GLOBAL') return this.globals().get(call[2]!) ?? '';
    if (call?.[1] === 'IFMODULE') return (this.scenario.modules ?? []).includes(call[2]!) ? '1' : '0';
    if (call?.[1] === 'STIR_SHAKEN') {
      // Asterisk logs an error when this runs without the module: the dialplan must not call it then.
      if (!(this.scenario.modules ?? []).includes('res_stir_shaken.so')) throw new Error('STIR_SHAKEN() called without res_stir_shaken loaded');
      const result = this.scenario.stirShakenResult;
      if (call[2] === 'count') return result === undefined ? '0' : '1';
      if (call[2] === '0,verify_result') return result ?? '';
      throw new Error(`unexpected STIR_SHAKEN(${call[2]})`);
    }
    if (call?.[1] === 'FILTER') {
      // FILTER(allowed,text): keeps the allowed characters; `a-b` is a range.
      const [allowed = '', text = ''] = splitTopLevel(call[2]!, ',', 2);
      const keep = (char: string): boolean =>
        [...allowed.matchAll(/(.)-(.)|(.)/g)].some((m) => (m[3] !== undefined ? m[3] === char : char >= m[1]! && char <= m[2]!));
      return [...text].filter(keep).join('');
    }
    return this.vars.get(name) ?? this.globals().get(name) ?? '';
  }

  /** Replaces `${...}` and `$[...]`, innermost first, as Asterisk does. */
  substitute(text: string): string {
    for (;;) {
      const variable = /\$\{([^${}[\]]*)\}/.exec(text);
      if (variable) {
        text = text.slice(0, variable.index) + this.variable(variable[1]!) + text.slice(variable.index + variable[0].length);
        continue;
      }
      const expression = /\$\[([^$[\]]*)\]/.exec(text);
      if (expression) {
        text = text.slice(0, expression.index) + evaluateExpression(expression[1]!) + text.slice(expression.index + expression[0].length);
        continue;
      }
      return text;
    }
  }

  private steps(): Step[] {
    const steps = findExtension(this.plan, this.context, this.exten);
    if (!steps) throw new Error(`no extension ${this.exten} in ${this.context}`);
    return [...steps].sort((a, b) => a.priority - b.priority);
  }

  /** Goto / GotoIf targets: `label`, `exten,label` or `context,exten,label` (or priority numbers). */
  private jump(target: string): void {
    const parts = target.split(',').map((part) => part.trim());
    const where = parts.pop()!;
    if (parts.length === 2) this.context = parts.shift()!;
    if (parts.length === 1) this.exten = parts.shift()!;
    const steps = this.steps();
    const index = /^\d+$/.test(where)
      ? steps.findIndex((step) => step.priority === Number(where))
      : steps.findIndex((step) => step.label === where);
    if (index < 0) throw new Error(`Goto target ${target} not found in ${this.context}/${this.exten}`);
    this.index = index;
  }

  private hangup(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    if (!findExtension(this.plan, this.context, 'h')) return;
    this.stack.length = 0;
    this.exten = 'h';
    this.index = 0;
    this.run(true);
  }

  /** Runs from priority 1 (or a label) until the call ends. */
  start(where = '1'): this {
    this.jump(where);
    this.run(false);
    if (!this.hungUp) this.hangup();
    return this;
  }

  private run(inHangupExtension: boolean): void {
    for (let guard = 0; guard < 500; guard++) {
      const steps = this.steps();
      const step = steps[this.index];
      if (!step) return; // ran off the end: Asterisk hangs up
      this.index++;
      const args = this.substitute(step.args);
      this.log.push({ app: step.app, args, source: step.source, context: this.context, exten: this.exten });
      if (this.execute(step.app, args, inHangupExtension) === 'stop') return;
    }
    throw new Error('dialplan loops');
  }

  private execute(app: string, args: string, inHangupExtension: boolean): 'next' | 'stop' {
    switch (app) {
      case 'NoOp':
      case 'Log':
      case 'Verbose':
      case 'UserEvent':
      case 'VoiceMail':
        return 'next';
      case 'Set': {
        const [name, ...value] = args.split('=');
        this.vars.set(name!, value.join('='));
        return 'next';
      }
      case 'ExecIf': {
        const [condition, apps] = splitTopLevel(args, '?', 2) as [string, string | undefined];
        const [whenTrue, whenFalse] = splitTopLevel(apps ?? '', ':', 2);
        const chosen = evaluateExpression(condition) !== '0' && condition.trim() !== '' ? whenTrue : whenFalse;
        if (!chosen) return 'next';
        const inner = splitApp(chosen);
        return this.execute(inner.app, inner.args, inHangupExtension);
      }
      case 'Goto':
        this.jump(args);
        return 'next';
      case 'GotoIf': {
        const [condition, targets] = splitTopLevel(args, '?', 2) as [string, string | undefined];
        const [whenTrue, whenFalse] = splitTopLevel(targets ?? '', ':', 2);
        const target = evaluateExpression(condition) !== '0' ? whenTrue : whenFalse;
        if (target) this.jump(target);
        return 'next';
      }
      case 'Gosub': {
        const match = /^([^,]+),([^,]+),([^(]+)(?:\((.*)\))?$/.exec(args);
        if (!match) throw new Error(`unsupported Gosub(${args})`);
        this.stack.push({ context: this.context, exten: this.exten, index: this.index, args: splitTopLevel(match[4] ?? '', ',') });
        this.context = match[1]!;
        this.exten = match[2]!;
        this.jump(match[3]!);
        return 'next';
      }
      case 'Return': {
        const frame = this.stack.pop();
        if (!frame) throw new Error('Return without Gosub');
        ({ context: this.context, exten: this.exten, index: this.index } = frame);
        return 'next';
      }
      case 'GotoIfTime': {
        const [spec, targets] = splitTopLevel(args, '?', 2) as [string, string | undefined];
        const [whenTrue, whenFalse] = splitTopLevel(targets ?? '', ':', 2);
        const target = timingMatches(spec, this.scenario.clock ?? DEFAULT_CLOCK) ? whenTrue : whenFalse;
        if (target) this.jump(target);
        return 'next';
      }
      case 'Dial': {
        if (inHangupExtension) throw new Error('Dial in the h extension');
        const status = this.scenario.dialStatus ?? 'NOANSWER';
        this.vars.set('DIALSTATUS', status);
        if (status === 'CANCEL' || status === 'ANSWER_THEN_CALLER_HANGS_UP') {
          if (status !== 'CANCEL') this.vars.set('DIALSTATUS', 'ANSWER');
          this.hangup();
          return 'stop';
        }
        return 'next';
      }
      case 'Stasis':
        this.vars.set('STASISSTATUS', this.scenario.stasisStatus ?? 'SUCCESS');
        return 'next';
      case 'Hangup':
        this.hangup();
        return 'stop';
      default:
        throw new Error(`the test interpreter does not know ${app}(); teach it before using it`);
    }
  }

  calls(app: string): Executed[] {
    return this.log.filter((entry) => entry.app === app);
  }

  get(name: string): string {
    return this.variable(name);
  }
}

// ---------------------------------------------------------------------------

const plugin = parseConfig(read(DIALPLAN));
/** The demo Asterisk's extensions.conf with its #include resolved, as Asterisk loads it. */
const demo = parseConfig(read(DIALPLAN), parseConfig(read(DEMO_DIALPLAN)));

const call = (scenario: Scenario, exten = '+12125550100', where = '1', plan = plugin, context = APP): Call =>
  new Call(plan, scenario, context, exten).start(where);

const stasisArgs = (entry: Executed): { app: string; args: string[] } => {
  const [app, ...args] = entry.args.split(',');
  return { app: app!, args };
};

describe('dialplan/extensions_missed_call_recovery.conf', () => {
  it('when parsed, then it has the missed-call-recovery context, an h extension and no stray contexts', () => {
    expect([...plugin.contexts.keys()].sort()).toEqual([APP, `${APP}-setup`]);
    const context = plugin.contexts.get(APP)!;
    expect(context.extensions.has('h')).toBe(true);
    expect(plugin.settings.has('globals')).toBe(false); // the admin's [globals] stays theirs
  });

  it('when a DID is dialled in any usual form, then the flow matches it, but never the special extensions', () => {
    for (const dialled of ['+12125550100', '2125550100', '12125550100', '100', 's']) {
      expect(findExtension(plugin, APP, dialled), dialled).toBeDefined();
    }
    const flow = findExtension(plugin, APP, '+12125550100');
    for (const special of ['i', 't', 'T', 'e', 'a', 'o', 'fax']) {
      expect(findExtension(plugin, APP, special), special).toBeUndefined();
    }
    expect(findExtension(plugin, APP, 'h')).not.toBe(flow);
  });

  it.each(MISSED)('when reception ends with %s, then Stasis(missed-call-recovery,${DIALSTATUS},DID) is entered once', (status) => {
    const result = call({ dialStatus: status });
    const stasis = result.calls('Stasis');
    expect(stasis).toHaveLength(1);
    expect(stasisArgs(stasis[0]!)).toEqual({ app: APP, args: [status, '+12125550100'] });
    expect(stasis[0]!.source).toContain('Stasis(missed-call-recovery,${DIALSTATUS},');
    expect(result.calls('VoiceMail')).toHaveLength(0);
    expect(result.calls('Hangup')).toHaveLength(1);
    expect(result.calls('UserEvent')).toHaveLength(0); // the app has it: nothing for AMI
    expect(result.get('MCR_REASON')).toBe(status);
  });

  it('when the app is not registered (STASISSTATUS=FAILED), then the caller reaches voicemail and AMI hears why', () => {
    for (const status of MISSED) {
      const result = call({ dialStatus: status, stasisStatus: 'FAILED' });
      expect(result.calls('VoiceMail').map((entry) => entry.args)).toEqual(['100@default,u']);
      expect(result.calls('UserEvent').map((entry) => entry.args)).toEqual([
        `MissedCallRecovery,Outcome: STASIS_FAILED,Reason: ${status},Did: +12125550100`,
      ]);
    }
  });

  it('when reception answers, then nothing more happens', () => {
    for (const dialStatus of ['ANSWER', 'ANSWER_THEN_CALLER_HANGS_UP']) {
      const result = call({ dialStatus });
      expect(result.calls('Stasis')).toHaveLength(0);
      expect(result.calls('VoiceMail')).toHaveLength(0);
      expect(result.calls('UserEvent')).toHaveLength(0);
    }
  });

  it('when the caller hangs up while reception rings, then the h extension reports an abandoned call over AMI', () => {
    // Dial() leaves DIALEDTIME: how long it rang, so the app can tell a one-ring hang-up.
    const result = call({ dialStatus: 'CANCEL', channel: { DIALEDTIME: '2' } });
    expect(result.calls('Stasis')).toHaveLength(0);
    expect(result.calls('UserEvent').map((entry) => entry.args)).toEqual([
      'MissedCallRecovery,Outcome: ABANDONED,Reason: CANCEL,Did: +12125550100,RingSeconds: 2',
    ]);
  });

  it('when the callee refused the caller on purpose (DONTCALL), then there is no recovery', () => {
    const result = call({ dialStatus: 'DONTCALL' });
    expect(result.calls('Stasis')).toHaveLength(0);
    expect(result.calls('VoiceMail')).toHaveLength(0);
  });

  it('when MCR_RECEPTION is unusable (INVALIDARGS), then the caller still gets voicemail and AMI hears it', () => {
    const result = call({ dialStatus: 'INVALIDARGS' });
    expect(result.calls('Stasis')).toHaveLength(0);
    expect(result.calls('VoiceMail')).toHaveLength(1);
    expect(result.calls('UserEvent')[0]!.args).toContain('Outcome: DIAL_FAILED,Reason: INVALIDARGS');
  });

  it('when no globals are set, then the documented defaults are used, on the channel only', () => {
    const result = call({ dialStatus: 'NOANSWER' });
    expect(result.calls('Dial').map((entry) => entry.args)).toEqual(['PJSIP/reception,20,']);
    expect(result.calls('Set').some((entry) => entry.args.startsWith('GLOBAL('))).toBe(false);
    expect(result.calls('Set').map((entry) => entry.args)).toContain('TIMEOUT(absolute)=600');
  });

  it('when globals are set, then they win over the defaults, and a channel variable wins over a global', () => {
    const globals = {
      MCR_RECEPTION: 'PJSIP/101&PJSIP/102',
      MCR_RING_SECONDS: '30',
      MCR_DIAL_OPTIONS: 'tT',
      MCR_VOICEMAIL_BOX: '200',
      MCR_VOICEMAIL_CONTEXT: 'office',
    };
    const result = call({ dialStatus: 'BUSY', stasisStatus: 'FAILED', globals });
    expect(result.calls('Dial').map((entry) => entry.args)).toEqual(['PJSIP/101&PJSIP/102,30,tT']);
    expect(result.calls('VoiceMail').map((entry) => entry.args)).toEqual(['200@office,u']);
    const perDid = call({ dialStatus: 'BUSY', globals, channel: { MCR_RECEPTION: 'PJSIP/sales' } });
    expect(perDid.calls('Dial')[0]!.args).toBe('PJSIP/sales,30,tT');
  });

  it('when FreePBX sends an "any DID" call as s, then the DID comes from FROM_DID', () => {
    const result = call({ dialStatus: 'NOANSWER', channel: { FROM_DID: '+12125550199' } }, 's');
    expect(stasisArgs(result.calls('Stasis')[0]!).args).toEqual(['NOANSWER', '+12125550199']);
    const bare = call({ dialStatus: 'NOANSWER' }, 's');
    expect(stasisArgs(bare.calls('Stasis')[0]!).args).toEqual(['NOANSWER', 's']);
  });

  it('when entered at the after-hours label, then nobody is rung and Stasis gets AFTERHOURS', () => {
    const result = call({}, '+12125550100', 'after-hours');
    expect(result.calls('Dial')).toHaveLength(0);
    expect(stasisArgs(result.calls('Stasis')[0]!)).toEqual({ app: APP, args: ['AFTERHOURS', '+12125550100'] });
    const failed = call({ stasisStatus: 'FAILED' }, '+12125550100', 'after-hours');
    expect(failed.calls('VoiceMail')).toHaveLength(1);
  });

  it('when the call carries a STIR/SHAKEN verification, then the app gets its result in MCR_STIR_SHAKEN; without the module nothing is called', () => {
    const failed = call({ modules: ['res_stir_shaken.so'], stirShakenResult: 'Signature verification failed' });
    expect(failed.calls('Set').map((entry) => entry.args)).toContain('MCR_STIR_SHAKEN=Signature verification failed');
    expect(failed.calls('Stasis')).toHaveLength(1);
    const unsigned = call({ modules: ['res_stir_shaken.so'] });
    expect(unsigned.calls('Set').some((entry) => entry.args.startsWith('MCR_STIR_SHAKEN='))).toBe(false);
    const noModule = call({});
    expect(noModule.functionsCalled).not.toContain('STIR_SHAKEN');
    expect(noModule.calls('Stasis')).toHaveLength(1);
  });

  describe('open or closed, before ringing', () => {
    const DID = '+12125550100';
    const VARIABLE = 'MCR_OPEN_12125550100';
    const afterHours = (result: Call): void => {
      expect(result.calls('Dial')).toHaveLength(0);
      expect(stasisArgs(result.calls('Stasis')[0]!)).toEqual({ app: APP, args: ['AFTERHOURS', DID] });
      expect(result.get('MCR_REASON')).toBe('AFTERHOURS');
    };
    const rang = (result: Call): void => {
      expect(result.calls('Dial')).toHaveLength(1);
      expect(stasisArgs(result.calls('Stasis')[0]!)).toEqual({ app: APP, args: ['NOANSWER', DID] });
    };

    it('when the app said this number is closed (0), then nobody is rung and the app gets AFTERHOURS', () => {
      const result = call({ globals: { [VARIABLE]: '0' } });
      afterHours(result);
      expect(result.calls('GotoIfTime')).toHaveLength(0);
    });

    it('when the app said this number is open (1), then reception rings, even outside the fallback hours', () => {
      const result = call({ globals: { [VARIABLE]: '1' }, clock: { weekday: 'sun', time: '03:00' } });
      rang(result);
      expect(result.calls('GotoIfTime')).toHaveLength(0);
    });

    it('when the number has no variable of its own, then MCR_OPEN_DEFAULT decides; its own variable wins over it', () => {
      afterHours(call({ globals: { MCR_OPEN_DEFAULT: '0' } }));
      rang(call({ globals: { MCR_OPEN_DEFAULT: '1' }, clock: { weekday: 'sat', time: '23:00' } }));
      rang(call({ globals: { [VARIABLE]: '1', MCR_OPEN_DEFAULT: '0' } }));
      afterHours(call({ globals: { [VARIABLE]: '0', MCR_OPEN_DEFAULT: '1' } }));
    });

    it('when the DID is dialled with or without +, then it reads the same variable (digits only)', () => {
      const result = call({ globals: { [VARIABLE]: '0' } }, '12125550100');
      expect(result.calls('Dial')).toHaveLength(0);
      expect(result.get('MCR_OPEN')).toBe('0');
    });

    it('when the app has never said (both empty), then the fallback hours decide: weekdays 09:00-17:00 by default', () => {
      const inside = call({ clock: { weekday: 'wed', time: '10:00' } });
      rang(inside);
      expect(inside.calls('GotoIfTime').map((entry) => entry.args)).toEqual(['09:00-17:00,mon-fri,*,*?ring:closed']);
      rang(call({ clock: { weekday: 'fri', time: '17:00' } })); // Asterisk counts the end minute in
      afterHours(call({ clock: { weekday: 'wed', time: '17:01' } }));
      afterHours(call({ clock: { weekday: 'wed', time: '08:59' } }));
      afterHours(call({ clock: { weekday: 'sat', time: '12:00' } }));
    });

    it('when the variable holds something else than 0 or 1, then it counts as unknown and the fallback hours decide', () => {
      afterHours(call({ globals: { [VARIABLE]: 'yes' }, clock: { weekday: 'sun', time: '12:00' } }));
      rang(call({ globals: { [VARIABLE]: 'yes' }, clock: { weekday: 'mon', time: '12:00' } }));
    });

    it('when MCR_FALLBACK_HOURS is set, then GotoIfTime uses it; a channel variable of that name wins', () => {
      const globals = { MCR_FALLBACK_HOURS: '08:00-20:00,mon-sat,*,*' };
      rang(call({ globals, clock: { weekday: 'sat', time: '19:00' } }));
      afterHours(call({ globals, clock: { weekday: 'sun', time: '12:00' } }));
      afterHours(call({ globals, channel: { MCR_FALLBACK_HOURS: '09:00-12:00,mon-fri,*,*' }, clock: { weekday: 'sat', time: '10:00' } }));
    });

    it('when closed and the app is not connected, then the caller reaches voicemail and AMI hears AFTERHOURS', () => {
      const result = call({ globals: { [VARIABLE]: '0' }, stasisStatus: 'FAILED' });
      expect(result.calls('VoiceMail')).toHaveLength(1);
      expect(result.calls('UserEvent').map((entry) => entry.args)).toEqual([
        `MissedCallRecovery,Outcome: STASIS_FAILED,Reason: AFTERHOURS,Did: ${DID}`,
      ]);
    });

    it('when a closed caller hangs up, then no ABANDONED event is sent (nobody was rung)', () => {
      const result = call({ globals: { [VARIABLE]: '0' } });
      expect(result.calls('UserEvent')).toHaveLength(0);
      expect(result.get('MCR_STAGE')).toBe('stasis');
    });

    it('when FreePBX sends an "any DID" call as s, then FROM_DID picks the variable', () => {
      const result = call({ globals: { [VARIABLE]: '0', MCR_OPEN_DEFAULT: '1' }, channel: { FROM_DID: DID } }, 's');
      expect(result.calls('Dial')).toHaveLength(0);
    });
  });

  it('when the app continues the channel at the voicemail label, then the caller can leave a message', () => {
    const result = call({}, '+12125550100', 'voicemail');
    expect(result.calls('VoiceMail')).toHaveLength(1);
    expect(result.calls('UserEvent')).toHaveLength(0);
  });

  it('when any Goto, GotoIf or Gosub names a target, then that target exists', () => {
    const targets: { plan: Dialplan; context: string; exten: string; target: string; source: string }[] = [];
    for (const plan of [plugin, demo]) {
      for (const [contextName, context] of plan.contexts) {
        for (const [exten, steps] of context.extensions) {
          // A sample number for a pattern, to resolve ${EXTEN} in targets.
          const dialled = exten.startsWith('_') ? (['+12125550100', '2125550100', 's'].find((d) => extensionMatches(exten, d)) ?? exten) : exten;
          for (const step of steps) {
            let found: string[] = [];
            if (step.app === 'Goto') found = [step.args];
            if (step.app === 'GotoIf' || step.app === 'GotoIfTime') {
              const [, branches = ''] = splitTopLevel(step.args, '?', 2);
              found = splitTopLevel(branches, ':', 2).filter(Boolean);
            }
            if (step.app === 'Gosub') found = [step.args.replace(/\(.*\)$/, '')];
            for (const target of found) {
              targets.push({ plan, context: contextName, exten: dialled, target: target.replaceAll('${EXTEN}', dialled), source: step.source });
            }
          }
        }
      }
    }
    expect(targets.length).toBeGreaterThan(10);
    for (const { plan, context, exten, target, source } of targets) {
      const parts = target.split(',').map((part) => part.trim());
      const where = parts.pop()!;
      const targetContext = parts.length === 2 ? parts.shift()! : context;
      const targetExten = parts.length === 1 ? parts.shift()! : exten;
      expect(target, source).not.toMatch(/\$[{[]/);
      const steps = findExtension(plan, targetContext, targetExten);
      expect(steps, `${source}: no ${targetContext},${targetExten}`).toBeDefined();
      const exists = /^\d+$/.test(where) ? steps!.some((s) => s.priority === Number(where)) : steps!.some((s) => s.label === where);
      expect(exists, `${source}: no priority or label "${where}"`).toBe(true);
    }
  });

  it('when read, then every line of the flow says why it is there', () => {
    const lines = read(DIALPLAN).split('\n').filter((line) => /^\s*(exten|same)\s*=>/.test(line));
    for (const line of lines) expect(line, line).toMatch(/\S\s+;\s*\S/);
  });
});

describe('config samples and the demo stack', () => {
  const compose = read('docker-compose.yml');
  /** `KEY: value` from the compose file (first occurrence), without YAML quotes. */
  const composeValue = (key: string): string => {
    const match = new RegExp(`^\\s+${key}:\\s*"?([^"\\n]*?)"?\\s*$`, 'm').exec(compose);
    if (!match) throw new Error(`${key} not in docker-compose.yml`);
    return match[1]!;
  };
  const conf = (relative: string): Dialplan => parseConfig(read(relative));
  const userSection = (plan: Dialplan, type: string): [string, Map<string, string>] => {
    const users = [...plan.settings].filter(([, values]) => values.get('type') === type);
    expect(users).toHaveLength(1);
    return users[0]!;
  };

  it('when the app logs in to ARI, then the sample user and the demo user match docker-compose ARI_USERNAME', () => {
    const username = composeValue('ARI_USERNAME');
    const [sampleUser, sample] = userSection(conf('dialplan/ari.conf.sample'), 'user');
    expect(sampleUser).toBe(username);
    expect(sample.get('read_only')).toBe('no');
    expect(sample.get('password_format')).toBe('plain');
    expect(read('dialplan/ari.conf.sample')).toMatch(/CHANGE THIS PASSWORD/);
    const [demoUser, demoValues] = userSection(conf('docker/asterisk/ari.conf'), 'user');
    expect(demoUser).toBe(username);
    expect(demoValues.get('password')).toBe(composeValue('ARI_PASSWORD'));
    expect(composeValue('ARI_APP')).toBe(APP);
  });

  it('when ARI is served, then http.conf enables the server on 8088, as ARI_URL expects', () => {
    for (const relative of ['dialplan/http.conf.sample', 'docker/asterisk/http.conf']) {
      const general = conf(relative).settings.get('general')!;
      expect(general.get('enabled'), relative).toBe('yes');
      expect(general.get('bindport'), relative).toBe('8088');
      expect(general.get('bindaddr'), relative).toBeTruthy();
    }
    expect(composeValue('ARI_URL')).toBe('http://asterisk:8088');
  });

  it('when the app listens to AMI, then its user may read call and user events from localhost, with no system rights', () => {
    const plan = conf('dialplan/manager.conf.sample');
    expect(plan.settings.get('general')!.get('enabled')).toBe('yes');
    const user = plan.settings.get(APP)!;
    const read = user.get('read')!.split(',');
    for (const needed of ['agent', 'call', 'cdr', 'dialplan', 'reporting', 'user']) expect(read).toContain(needed);
    expect(user.get('write')!.split(',')).not.toContain('system');
    expect(user.get('permit')).toMatch(/^127\.0\.0\.1\//);
    const ami = new URL(composeValue('AMI_URL'));
    const demoUser = conf('docker/asterisk/manager.conf').settings.get(ami.username)!;
    expect(demoUser.get('secret')).toBe(ami.password);
  });

  it('when the demo Asterisk starts, then every file compose mounts exists and the plug-in is included under its mounted name', () => {
    const mounts = [...compose.matchAll(/^\s+- \.\/([^:]+):([^:]+):ro$/gm)].map((m) => ({ from: m[1]!, to: m[2]! }));
    expect(mounts.length).toBeGreaterThan(5);
    for (const mount of mounts) expect(existsSync(file(mount.from)), mount.from).toBe(true);
    const pluginMount = mounts.find((mount) => mount.from === DIALPLAN)!;
    expect(pluginMount.to).toBe('/etc/asterisk/extensions_missed_call_recovery.conf');
    expect(demo.fileIncludes).toContain(path.basename(pluginMount.to));
    expect(mounts.find((mount) => mount.from === 'dialplan/sounds/en')?.to).toBe('/var/lib/asterisk/sounds/en');
    for (const name of ['ari.conf', 'http.conf', 'manager.conf', 'extensions.conf', 'pjsip.conf']) {
      expect(mounts.some((mount) => mount.from === `docker/asterisk/${name}` && mount.to === `/etc/asterisk/${name}`), name).toBe(true);
    }
  });

  it('when the demo caller dials the demo DID and reception does not answer, then the app gets the call in E.164', () => {
    const endpoints = conf('docker/asterisk/pjsip.conf').settings;
    const inbound = endpoints.get('caller')!.get('context')!;
    for (const dialled of ['2125550100', '+12125550100']) {
      const result = call({ dialStatus: 'NOANSWER' }, dialled, '1', demo, inbound);
      expect(result.calls('Dial')[0]!.args).toBe('PJSIP/reception,15,');
      expect(stasisArgs(result.calls('Stasis')[0]!)).toEqual({ app: APP, args: ['NOANSWER', '+12125550100'] });
    }
    expect(endpoints.has('reception')).toBe(true);
  });

  it('when the image is built, then it runs as a non-root user with a data volume and the start command', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM .* AS build$/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \/app\/data$/m);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/mcr\.js", "start"\]$/m);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
    expect(composeValue('ADMIN_API_KEY')).toMatch(/^\$\{MCR_ADMIN_API_KEY:\?/);
  });
});

// ---------------------------------------------------------------------------
// Prompts
// ---------------------------------------------------------------------------

interface ManifestFile {
  key: string;
  file: string;
  sound: string;
  text: string;
  textSha256: string;
  sha256: string;
  bytes: number;
  durationMs: number;
}

interface Manifest {
  version: string;
  language: string;
  business: string;
  files: ManifestFile[];
}

/** The RIFF/WAVE fmt and data chunks of a file. */
function readWav(data: Buffer): { format: number; channels: number; sampleRate: number; bitsPerSample: number; dataBytes: number } {
  expect(data.toString('latin1', 0, 4)).toBe('RIFF');
  expect(data.toString('latin1', 8, 12)).toBe('WAVE');
  expect(data.readUInt32LE(4)).toBe(data.length - 8);
  let fmt: Buffer | undefined;
  let dataBytes: number | undefined;
  for (let at = 12; at + 8 <= data.length; ) {
    const id = data.toString('latin1', at, at + 4);
    const size = data.readUInt32LE(at + 4);
    if (id === 'fmt ') fmt = data.subarray(at + 8, at + 8 + size);
    if (id === 'data') dataBytes = size;
    at += 8 + size + (size % 2);
  }
  if (!fmt || dataBytes === undefined) throw new Error('missing fmt or data chunk');
  return {
    format: fmt.readUInt16LE(0),
    channels: fmt.readUInt16LE(2),
    sampleRate: fmt.readUInt32LE(4),
    bitsPerSample: fmt.readUInt16LE(14),
    dataBytes,
  };
}

describe('prompts and shipped sounds', () => {
  const prompts = JSON.parse(read('dialplan/prompts/en.json')) as Record<string, string>;
  const manifest = JSON.parse(read('dialplan/sounds/en/MANIFEST.json')) as Manifest;
  const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

  it('when the prompt texts are read, then the required keys are there and the disclosure says what the rules require', () => {
    expect(prompts.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    for (const key of ['announce_recording', 'disclosure', 'confirm_text', 'confirm_callback', 'no_input']) {
      expect(prompts[key], key).toBeTruthy();
    }
    const disclosure = prompts.disclosure!;
    expect(disclosure).toContain('{{business}}');
    for (const phrase of [/press 1/i, /press 2/i, /rates may apply/i, /STOP/, /not a condition of purchase/i, /call back/i]) {
      expect(disclosure).toMatch(phrase);
    }
    expect(prompts.announce_recording).toMatch(/recorded/i);
  });

  it('when the manifest is read, then it lists every prompt of this version, spoken as the template renders', () => {
    expect(manifest.version).toBe(prompts.version);
    expect(manifest.business).toBe('Acme Plumbing');
    const keys = Object.keys(prompts).filter((key) => key !== 'version');
    expect(manifest.files.map((entry) => entry.key)).toEqual(keys);
    for (const entry of manifest.files) {
      expect(entry.file).toBe(`mcr-${entry.key.replaceAll('_', '-')}.wav`);
      expect(entry.sound).toBe(entry.file.replace(/\.wav$/, ''));
      expect(entry.text).toBe(prompts[entry.key]!.replaceAll('{{business}}', manifest.business));
      expect(entry.textSha256).toBe(sha256(entry.text));
    }
    expect(manifest.files.map((entry) => entry.file)).toEqual(
      expect.arrayContaining(['mcr-announce-recording.wav', 'mcr-disclosure.wav', 'mcr-confirm-text.wav', 'mcr-confirm-callback.wav', 'mcr-no-input.wav']),
    );
  });

  it.each(manifest.files.map((entry) => entry.file))(
    'when Asterisk plays %s, then it is the file the manifest hashed, in 8 kHz mono 16-bit PCM WAV',
    (name) => {
      const entry = manifest.files.find((candidate) => candidate.file === name)!;
      const audio = readFileSync(file('dialplan/sounds/en', entry.file));
      expect(sha256(audio)).toBe(entry.sha256);
      expect(audio.length).toBe(entry.bytes);
      const wav = readWav(audio);
      expect(wav).toMatchObject({ format: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
      expect(Math.abs((wav.dataBytes / 16) - entry.durationMs)).toBeLessThanOrEqual(1);
      expect(entry.durationMs).toBeGreaterThan(500);
      expect(audio.length).toBeLessThan(1_000_000); // prompts, not music
    },
  );

  it('when the prompts need regenerating, then the generator is there, executable and strict', () => {
    const script = 'dialplan/prompts/generate-prompts.sh';
    expect(statSync(file(script)).isFile()).toBe(true);
    expect(() => accessSync(file(script), constants.X_OK)).not.toThrow();
    const text = read(script);
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).toMatch(/espeak-ng -v/);
    expect(text).toMatch(/sox -D/);
  });
});
