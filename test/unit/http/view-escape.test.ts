import assert from 'node:assert/strict';
import ejs from 'ejs';
import { escapeForViews } from '../../../server/http/view-escape';

describe('escapeForViews writes what EJS escapeXML writes', () => {
  it('for text with and without markup, empty values, numbers and objects', () => {
    const values: unknown[] = [
      undefined,
      null,
      '',
      'Riley Chen',
      'Sam <Rivera> & "Alex" O\'Brien',
      '&amp; already',
      '<script>alert(1)</script>',
      'القلق، والحزن',
      0,
      42.5,
      false,
      true,
      { toString: () => '<b>x</b>' },
      ['a<b', 'c'],
      new Date(0),
    ];
    for (const value of values) {
      assert.equal(escapeForViews(value), ejs.escapeXML(value), String(value));
    }
  });

  it('escapes every one of the five characters, each time it appears', () => {
    assert.equal(escapeForViews(`&<>"'&<>"'`), '&amp;&lt;&gt;&#34;&#39;&amp;&lt;&gt;&#34;&#39;');
  });
});
