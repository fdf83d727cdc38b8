import Handlebars from 'handlebars';

/**
 * The words and layout of every staff message, as Handlebars templates. HTML
 * parts are compiled with Handlebars' escaping on and use only `{{...}}`:
 * whatever a caller said or sent (a text body, a voicemail transcript, a caller
 * name) is escaped, never inserted as markup. There is no `{{{...}}}` anywhere
 * here (test/notifications/rendering.test.ts checks). Plain-text parts and
 * texts are compiled without escaping (an `&` stays `&`); their values are
 * stripped of control characters before they get here.
 */
const html = Handlebars.create();
const plain = Handlebars.create();

export const TEMPLATE_SOURCES = {
  alertSms: `[{{business}}] {{title}}{{#if caller}}: {{caller}}{{/if}}{{#if said}} "{{said}}"{{/if}}{{#if due}} Call back by {{due}}.{{/if}}{{#if part}} {{part}}{{/if}}`,
  alertSubject: `{{title}}{{#if caller}}: {{caller}}{{/if}} ({{business}})`,
  alertText: `{{title}}
{{#each facts}}
{{label}}: {{value}}
{{/each}}
{{#if said}}

{{saidLabel}}:
{{said}}
{{/if}}

{{business}} · missed-call-recovery
`,
  alertHtml: `<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#222;max-width:640px">
<h2 style="margin:0 0 12px">{{title}}</h2>
<table cellpadding="4" style="border-collapse:collapse">
{{#each facts}}<tr><td style="color:#666;vertical-align:top">{{label}}</td><td>{{value}}</td></tr>
{{/each}}</table>
{{#if said}}<h3 style="margin:16px 0 4px">{{saidLabel}}</h3>
<blockquote style="margin:0;padding:8px 12px;border-left:3px solid #ccc;white-space:pre-wrap">{{said}}</blockquote>{{/if}}
<p style="color:#888;font-size:12px;margin-top:24px">{{business}} · missed-call-recovery</p>
</body></html>`,
  digestSubject: `{{business}}: {{newLeadCount}} new lead(s), {{openCallbackCount}} open callback(s) · {{date}}`,
  digestText: `Good morning {{recipient}},

{{business}} since {{since}}:

NEW LEADS ({{newLeadCount}})
{{#each newLeads}}
- {{time}}  {{caller}}{{#if source}} ({{source}}){{/if}}: {{outcome}}
{{else}}
(none)
{{/each}}

OPEN CALLBACKS BY DUE TIME ({{openCallbackCount}})
{{#each openCallbacks}}
- due {{due}}{{#if overdue}} (OVERDUE){{/if}}  {{caller}}  {{reason}}{{#if assignee}}  with {{assignee}}{{/if}}
{{#if voicemail}}    voicemail: {{voicemail}}
{{/if}}
{{else}}
(none)
{{/each}}
{{#if happenings.length}}

ALSO
{{#each happenings}}
- {{label}}: {{count}}
{{/each}}
{{/if}}
`,
  digestHtml: `<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#222;max-width:720px">
<p>Good morning {{recipient}},</p>
<p>{{business}} since {{since}}:</p>
<h3>New leads ({{newLeadCount}})</h3>
{{#if newLeads.length}}<table cellpadding="4" style="border-collapse:collapse">
<tr style="text-align:left;color:#666"><th>Time</th><th>Caller</th><th>Source</th><th>Outcome so far</th></tr>
{{#each newLeads}}<tr><td>{{time}}</td><td>{{caller}}</td><td>{{source}}</td><td>{{outcome}}</td></tr>
{{/each}}</table>{{else}}<p>None.</p>{{/if}}
<h3>Open callbacks by due time ({{openCallbackCount}})</h3>
{{#if openCallbacks.length}}<table cellpadding="4" style="border-collapse:collapse">
<tr style="text-align:left;color:#666"><th>Due</th><th>Caller</th><th>Reason</th><th>With</th><th>Voicemail</th></tr>
{{#each openCallbacks}}<tr><td>{{due}}{{#if overdue}} <b style="color:#b00">overdue</b>{{/if}}</td><td>{{caller}}</td><td>{{reason}}</td><td>{{assignee}}</td><td>{{voicemail}}</td></tr>
{{/each}}</table>{{else}}<p>None.</p>{{/if}}
{{#if happenings.length}}<h3>Also</h3><ul>{{#each happenings}}<li>{{label}}: {{count}}</li>{{/each}}</ul>{{/if}}
</body></html>`,
  reportSubject: `{{business}}: weekly recovery report, week of {{weekStart}}`,
  reportText: `Weekly recovery report for {{business}}
Week {{weekStart}} to {{weekEnd}} ({{timeZone}}), compared with the week before.

{{#each rows}}
{{label}}: {{current}} (week before: {{previous}}{{#if change}}, {{change}}{{/if}})
{{/each}}

Missed calls by reason:
{{#each reasons}}
- {{reason}}: {{count}}
{{/each}}

Per number / campaign:
{{#each dids}}
- {{did}}{{#if source}} ({{source}}){{/if}}: {{missed}} missed, {{recovered}} recovered, {{bookings}} bookings
{{/each}}

The figures are attached as CSV.
`,
  reportHtml: `<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#222;max-width:720px">
<h2 style="margin:0">Weekly recovery report: {{business}}</h2>
<p style="color:#666">Week {{weekStart}} to {{weekEnd}} ({{timeZone}}), compared with the week before.</p>
<table cellpadding="5" style="border-collapse:collapse">
<tr style="text-align:left;color:#666"><th></th><th>This week</th><th>Week before</th><th></th></tr>
{{#each rows}}<tr><td>{{label}}</td><td><b>{{current}}</b></td><td>{{previous}}</td><td style="color:#666">{{change}}</td></tr>
{{/each}}</table>
<h3>Missed calls by hour of day</h3>
<svg xmlns="http://www.w3.org/2000/svg" width="{{chart.width}}" height="{{chart.height}}" role="img" aria-label="Missed calls by hour, this week and the week before">
<rect x="0" y="0" width="{{chart.width}}" height="{{chart.height}}" fill="#fff"/>
{{#each chart.bars}}<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{fill}}"><title>{{title}}</title></rect>
{{/each}}{{#each chart.labels}}<text x="{{x}}" y="{{y}}" font-size="9" text-anchor="middle" fill="#666">{{text}}</text>
{{/each}}<text x="4" y="12" font-size="10" fill="#1f6feb">■ this week</text><text x="80" y="12" font-size="10" fill="#aaa">■ week before</text>
</svg>
<h3>Missed calls by reason</h3>
<ul>{{#each reasons}}<li>{{reason}}: {{count}}</li>{{/each}}</ul>
<h3>Per number / campaign</h3>
<table cellpadding="4" style="border-collapse:collapse">
<tr style="text-align:left;color:#666"><th>Number</th><th>Campaign</th><th>Missed</th><th>Recovered</th><th>Bookings</th></tr>
{{#each dids}}<tr><td>{{did}}</td><td>{{source}}</td><td>{{missed}}</td><td>{{recovered}}</td><td>{{bookings}}</td></tr>
{{/each}}</table>
<p style="color:#888;font-size:12px">The figures are attached as CSV.</p>
</body></html>`,
} as const;

type TemplateName = keyof typeof TEMPLATE_SOURCES;
const HTML_TEMPLATES: ReadonlySet<TemplateName> = new Set(['alertHtml', 'digestHtml', 'reportHtml']);

// Compiled once per process: a pure cache of fixed sources, the same for every caller.
const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();

export function renderStaffTemplate(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const isHtml = HTML_TEMPLATES.has(name);
    template = (isHtml ? html : plain).compile(TEMPLATE_SOURCES[name], { noEscape: !isHtml, strict: false });
    compiled.set(name, template);
  }
  return template(view);
}

/** Control characters out, length bounded: for any outsider's string before it reaches a template. */
export function cleanForMessage(value: string | null | undefined, maxLength: number): string {
  if (!value) return '';
  const cleaned = value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const chars = Array.from(cleaned);
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : cleaned;
}

/** One line: newlines folded (subjects, texts). */
export function oneLine(value: string | null | undefined, maxLength: number): string {
  return cleanForMessage((value ?? '').replace(/\s+/g, ' ').trim(), maxLength);
}
