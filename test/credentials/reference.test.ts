import assert from 'node:assert/strict';
import { findReferences, formatReference, parseReference, parseReferenceName, referenceName } from '../../credentials';

describe('vault references: the text ${vault:<vault>/<item>/<field>}', () => {
  const ref = { vault: 'V-1_a', item: 'I_2-b', field: 'password' };

  it('formats and parses back, as a whole value and as the name Node-RED looks up', () => {
    assert.equal(formatReference(ref), '${vault:V-1_a/I_2-b/password}');
    assert.deepEqual(parseReference(formatReference(ref)), ref);
    assert.equal(referenceName(ref), 'vault:V-1_a/I_2-b/password');
    assert.deepEqual(parseReferenceName('vault:V-1_a/I_2-b/password'), ref);
  });

  it('is only ever a whole value with valid ids and a field name', () => {
    for (const bad of [
      'x${vault:V/I/password}', '${vault:V/I/password} ', '${vault:V/I}', '${vault:V/I/password/x}', '${vault:../I/password}',
      '${vault:V/I/1field}', '${vault:V/I/pass word}', '${vault:/I/password}', '$(vault:V/I/password)', '${VAULT:V/I/password}',
      `\${vault:${'a'.repeat(65)}/I/password}`,
    ]) {
      assert.equal(parseReference(bad), undefined, bad);
    }
    assert.equal(parseReferenceName('HOME'), undefined);
    assert.equal(parseReferenceName(42), undefined);
  });

  it('finds every reference in a node definition or its credentials, at any depth, once each', () => {
    const found = findReferences({
      id: 'n1', user: formatReference({ ...ref, field: 'username' }), password: formatReference(ref),
      headers: [{ keyType: 'other', valueValue: formatReference(ref) }], other: 'text ${vault:V/I/x}',
    });
    assert.deepEqual([...found.keys()].sort(), ['vault:V-1_a/I_2-b/password', 'vault:V-1_a/I_2-b/username']);
  });
});
