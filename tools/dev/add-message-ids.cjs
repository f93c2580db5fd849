/**
 * Adds `messageId: '...'` to the expected findings of RuleTester cases, from a
 * recording of what the rules emit (a one-off migration aid, e.g. for a rule
 * that starts declaring messages):
 *   CTCR_RECORD_FINDINGS=/tmp/rec.jsonl node dist/test/run.js rules
 *   node tools/dev/add-message-ids.cjs /tmp/rec.jsonl
 * Only literal `invalid: [...]` / `errors: [...]` arrays are edited; the
 * others are listed for a hand edit. Review the diff.
 */
const ts = require('typescript');
const fs = require('fs');
const rec = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const byFile = new Map();
for (const r of rec) {
  const src = r.file.replace('/dist/test/', '/test/').replace(/\.js$/, '.ts');
  if (!byFile.has(src)) byFile.set(src, new Map());
  byFile.get(src).set(`${r.run}:${r.case}`, r.findings.map((f) => f.messageId));
}
const problems = [];
for (const [file, cases] of byFile) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const inserts = [];
  let run = 0;
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'run' && node.arguments.length === 2 && ts.isObjectLiteralExpression(node.arguments[1])) {
      const runIndex = run++;
      const invalid = node.arguments[1].properties.find((p) => p.name && p.name.getText() === 'invalid');
      if (!invalid || !ts.isPropertyAssignment(invalid) || !ts.isArrayLiteralExpression(invalid.initializer)) { problems.push(`${file}: run ${runIndex}: invalid is not an array literal`); }
      else invalid.initializer.elements.forEach((el, i) => {
        const ids = cases.get(`${runIndex}:${i}`);
        if (!ids) { problems.push(`${file}: run ${runIndex} case ${i}: not recorded`); return; }
        if (!ts.isObjectLiteralExpression(el)) { problems.push(`${file}:${sf.getLineAndCharacterOfPosition(el.getStart()).line + 1}: case ${i} is not an object literal`); return; }
        const errors = el.properties.find((p) => p.name && p.name.getText() === 'errors');
        if (!errors || !ts.isPropertyAssignment(errors) || !ts.isArrayLiteralExpression(errors.initializer)) { problems.push(`${file}:${sf.getLineAndCharacterOfPosition(el.getStart()).line + 1}: case ${i} errors not a literal array`); return; }
        const els = errors.initializer.elements;
        if (els.length !== ids.length) { problems.push(`${file}:${sf.getLineAndCharacterOfPosition(errors.getStart()).line + 1}: case ${i}: ${els.length} expected vs ${ids.length} found`); }
        els.forEach((e, j) => {
          if (!ts.isObjectLiteralExpression(e)) { problems.push(`${file}:${sf.getLineAndCharacterOfPosition(e.getStart()).line + 1}: error ${j} not object literal`); return; }
          if (e.properties.some((p) => p.name && p.name.getText() === 'messageId')) return;
          if (ids[j] === undefined || ids[j] === null) { problems.push(`${file}: case ${i} error ${j}: no id`); return; }
          const pos = e.getStart() + 1; // after '{'
          const empty = e.properties.length === 0;
          inserts.push([pos, empty ? ` messageId: '${ids[j]}' ` : ` messageId: '${ids[j]}',`]);
        });
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let out = text;
  for (const [pos, s] of inserts.sort((a, b) => b[0] - a[0])) {
    // keep '{ x' spacing: '{ messageId: 'a', x'
    const after = out.slice(pos);
    out = out.slice(0, pos) + (after.startsWith(' ') ? s : s + ' ') + after;
  }
  out = out.replace(/\{  messageId/g, '{ messageId');
  if (out !== text) fs.writeFileSync(file, out);
}
console.log(problems.join('\n'));
