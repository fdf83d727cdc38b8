import { describe, expect, it } from 'vitest';
import { escalationTrigger } from '../../core/notifications/alert-triggers.js';
import { cleanForMessage, renderStaffTemplate, TEMPLATE_SOURCES } from '../../core/notifications/email-templates.js';

describe('staff message templates', () => {
  it('when the templates are read, then none inserts anything unescaped (no triple-stash, no & escapes)', () => {
    for (const [name, source] of Object.entries(TEMPLATE_SOURCES)) {
      expect(source, name).not.toMatch(/\{\{\{|\{\{&/);
    }
  });

  it('when hostile text reaches the HTML alert, then it is escaped; in the plain text it stays readable', () => {
    const said = cleanForMessage('</blockquote><script>x()</script>\u0000 "q" \'s\' `b`', 200);
    const html = renderStaffTemplate('alertHtml', { title: 'T', business: 'B', facts: [{ label: '<i>', value: '<b>v</b>' }], said, saidLabel: 'L' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>v</b>');
    expect(html).toContain('&lt;/blockquote&gt;&lt;script&gt;x()&lt;/script&gt;');
    expect(html).toContain('&#x27;s&#x27;');
    const text = renderStaffTemplate('alertText', { title: 'T', business: 'B', facts: [], said, saidLabel: 'L' });
    expect(text).toContain('</blockquote><script>x()</script>');
    expect(text).not.toContain('\u0000');
  });

  it('when the engine gives its reason loosely, then the alert kind is read from it', () => {
    expect(escalationTrigger('urgent')).toBe('caller.urgent');
    expect(escalationTrigger('EMERGENCY_LEAK')).toBe('caller.urgent');
    expect(escalationTrigger('human_requested')).toBe('caller.asked_for_person');
    expect(escalationTrigger('hot_lead')).toBe('lead.hot');
    expect(escalationTrigger('')).toBe('conversation.escalated');
  });
});
