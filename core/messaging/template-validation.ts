/**
 * Checks a business's template before it is stored, so a text never fails (or
 * goes out with a gap) at the moment a caller should get it. A template may
 * use the documented variables (TEMPLATE_VARIABLES), `{{#if}}` / `{{#unless}}`
 * on them with `{{else}}`, and comments; nothing else of Handlebars (no
 * helpers, partials, loops): what a template can do stays easy to review.
 */
import Handlebars from 'handlebars';
import { TEMPLATE_RULES } from './template-rules.js';
import { renderTemplate, TEMPLATE_VARIABLES, type TemplateName } from './templates.js';

export type TemplateProblemCode =
  'empty' | 'too_long' | 'unbalanced_block' | 'syntax_error' | 'unknown_variable' | 'unsupported_expression' | 'missing_required_text';

export interface TemplateProblem {
  code: TemplateProblemCode;
  message: string;
}

export const MAX_TEMPLATE_LENGTH = 1000;
const ALLOWED_BLOCKS = ['if', 'unless'];
const SAMPLE_NAME = 'Sample Business';
const SAMPLE_PHONE = '+12125550100';
const VARIABLE_LIST = TEMPLATE_VARIABLES.join(', ');

/** Every problem with a template for a kind of text; empty when it can be stored. */
export function validateTemplate(kind: TemplateName, source: string): TemplateProblem[] {
  if (source.trim() === '') return [{ code: 'empty', message: 'the template is empty' }];
  if (source.length > MAX_TEMPLATE_LENGTH) {
    return [{ code: 'too_long', message: `the template has ${source.length} characters; at most ${MAX_TEMPLATE_LENGTH}` }];
  }
  // Checked by hand first: Handlebars reports an unclosed block as "Expecting ..., got 'EOF'".
  const blocks = checkBlocks(source);
  if (blocks.length > 0) return blocks;
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (err) {
    return [{ code: 'syntax_error', message: `not a valid template: ${describeParseError(err)}` }];
  }
  const structure = checkStatements(program.body);
  if (structure.length > 0) return structure;
  return checkRequiredText(kind, source);
}

/** `{{#x}}` / `{{^x}}` opened and `{{/x}}` closed in order. */
function checkBlocks(source: string): TemplateProblem[] {
  const withoutComments = source.replace(/\{\{!--[\s\S]*?--\}\}/g, '').replace(/\{\{![\s\S]*?\}\}/g, '');
  const open: { name: string; tag: string }[] = [];
  for (const match of withoutComments.matchAll(/\{\{\{?([\s\S]*?)\}?\}\}/g)) {
    const tag = match[0];
    const inner = (match[1] ?? '').replace(/^~/, '').replace(/~$/, '').trim();
    const sigil = inner.charAt(0);
    const name = inner.slice(1).trim().split(/\s+/)[0] ?? '';
    if ((sigil === '#' || sigil === '^') && name) open.push({ name, tag });
    if (sigil !== '/') continue;
    const last = open.pop();
    if (!last) return [unbalanced(`${tag} closes nothing: no block is open there`)];
    if (last.name !== name) return [unbalanced(`${tag} closes ${last.tag}: close it with {{/${last.name}}} first`)];
  }
  const unclosed = open.at(-1);
  return unclosed ? [unbalanced(`${unclosed.tag} is never closed: add {{/${unclosed.name}}}`)] : [];
}

function unbalanced(message: string): TemplateProblem {
  return { code: 'unbalanced_block', message: `unbalanced block: ${message}` };
}

function checkStatements(statements: readonly hbs.AST.Statement[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const statement of statements) {
    if (isContent(statement) || isComment(statement)) continue;
    if (isMustache(statement)) problems.push(...checkMustache(statement));
    else if (isBlock(statement)) problems.push(...checkBlock(statement));
    else problems.push(unsupported(`${describeStatement(statement.type)} not supported: use variables and {{#if}} blocks only`));
  }
  return problems;
}

function checkMustache(statement: hbs.AST.MustacheStatement): TemplateProblem[] {
  if (!isPath(statement.path)) return [unsupported('only variables can be inserted, not literal values')];
  if (statement.params.length > 0 || (statement.hash?.pairs.length ?? 0) > 0) {
    return [unsupported(`{{${statement.path.original} ...}}: helpers are not supported, only variables (${VARIABLE_LIST})`)];
  }
  return checkVariable(statement.path);
}

function checkBlock(statement: hbs.AST.BlockStatement): TemplateProblem[] {
  const helper = statement.path.original;
  if (!ALLOWED_BLOCKS.includes(helper)) return [unsupported(`{{#${helper}}} is not supported: use {{#if}} or {{#unless}}`)];
  const [condition, ...extra] = statement.params;
  if (!condition || extra.length > 0 || (statement.hash?.pairs.length ?? 0) > 0) {
    return [unsupported(`{{#${helper}}} takes exactly one variable (${VARIABLE_LIST})`)];
  }
  const problems = isPath(condition) ? checkVariable(condition) : [unsupported(`{{#${helper}}} takes a variable, not a value`)];
  problems.push(...checkStatements(statement.program.body));
  if (statement.inverse) problems.push(...checkStatements(statement.inverse.body));
  return problems;
}

function checkVariable(path: hbs.AST.PathExpression): TemplateProblem[] {
  if ((TEMPLATE_VARIABLES as readonly string[]).includes(path.original)) return [];
  return [{ code: 'unknown_variable', message: `unknown variable {{${path.original}}}: a template may use ${VARIABLE_LIST}` }];
}

function unsupported(message: string): TemplateProblem {
  return { code: 'unsupported_expression', message };
}

/** Renders with a sample business, with and without a contact phone, and checks what the kind must say. */
function checkRequiredText(kind: TemplateName, source: string): TemplateProblem[] {
  const renderings = [SAMPLE_PHONE, null].map((contactPhone) => renderTemplate(source, { business: { name: SAMPLE_NAME, contactPhone } }));
  const problems: TemplateProblem[] = [];
  for (const rule of TEMPLATE_RULES[kind]) {
    const failing = renderings.map((text) => !rule.holds(text, SAMPLE_NAME));
    if (!failing.some(Boolean)) continue;
    const when = failing.every(Boolean) ? '' : failing[0] ? ' (when a contact phone is set)' : ' (when no contact phone is set)';
    problems.push({ code: 'missing_required_text', message: `${kind.replace(/_/g, ' ')}: ${rule.problem}${when}` });
  }
  return problems;
}

/** Handlebars' message is several lines with a caret drawing; keep the position and the expectation. */
function describeParseError(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter((line) => line.trim() !== '');
  const where = (lines[0] ?? 'parse error').replace(/:$/, '');
  const expected = lines.length > 1 ? lines.at(-1) : undefined;
  return expected ? `${where}: ${expected}` : where;
}

function describeStatement(type: string): string {
  if (type === 'PartialStatement' || type === 'PartialBlockStatement') return 'partials ({{> name}}) are';
  if (type === 'Decorator' || type === 'DecoratorBlock') return 'decorators ({{* name}}) are';
  return `${type} is`;
}

const isContent = (s: hbs.AST.Statement): s is hbs.AST.ContentStatement => s.type === 'ContentStatement';
const isComment = (s: hbs.AST.Statement): s is hbs.AST.CommentStatement => s.type === 'CommentStatement';
const isMustache = (s: hbs.AST.Statement): s is hbs.AST.MustacheStatement => s.type === 'MustacheStatement';
const isBlock = (s: hbs.AST.Statement): s is hbs.AST.BlockStatement => s.type === 'BlockStatement';
const isPath = (e: hbs.AST.Expression): e is hbs.AST.PathExpression => e.type === 'PathExpression';
