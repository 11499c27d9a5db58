import { escapeHtml, html, linkify, safeHttpUrl, SafeHtml } from '../../web/shared/html';

describe('escaped HTML', () => {
  it('escapes every character that could start markup or end an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \`z\``)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;',
    );
  });

  it('escapes interpolated values and keeps the template and nested SafeHtml as markup', () => {
    const name = '<img src=x onerror=alert(1)>';
    const inner = html`<b>${name}</b>`;
    const out = html`<td title="${'" onmouseover="x'}">${inner}${[1, '<2>']}${null}${undefined}${false}</td>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe(
      '<td title="&quot; onmouseover=&quot;x"><b>&lt;img src=x onerror=alert(1)&gt;</b>1&lt;2&gt;</td>',
    );
  });

  it('renders 0 but not null, undefined or false', () => {
    expect(html`${0}|${null}|${undefined}|${false}`.value).toBe('0|||');
  });

  it('links only http and https URLs', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('data:text/html,hi')).toBeUndefined();
    expect(safeHttpUrl('not a url')).toBeUndefined();
    expect(safeHttpUrl('/admin/', 'http://localhost:3000/_local/')).toBe('http://localhost:3000/admin/');
    expect(safeHttpUrl('https://example.com/a?b=1&c=2')).toBe('https://example.com/a?b=1&c=2');
  });

  it('turns URLs in an email body into links and escapes the rest', () => {
    const text = 'Hi <b>Ann</b>, take it at http://localhost:3000/testcentre/?IncidentId=1&ExamId=2 today';
    expect(linkify(text).value).toBe(
      'Hi &lt;b&gt;Ann&lt;/b&gt;, take it at <a href="http://localhost:3000/testcentre/?IncidentId=1&amp;ExamId=2">http://localhost:3000/testcentre/?IncidentId=1&amp;ExamId=2</a> today',
    );
  });
});
