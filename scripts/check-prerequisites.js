// What `npm test` needs from outside node_modules, checked before anything else (the `pretest` script), so a fresh
// machine stops within seconds with the one command that fixes it instead of failing deep in a suite.
// Plain JavaScript on purpose: before `npm ci` the only Node is the system's, which may be too old to run TypeScript.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The output of a command, or undefined when it cannot be run at all. */
function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`;
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `java -version` prints `version "17.0.9"` (or `"1.8.0_392"` for Java 8, whose major version is the second number). */
function javaMajorVersion(versionText) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/** Each missing prerequisite, with the Debian package that provides it. */
function missingPrerequisites() {
  const missing = [];
  if (!executable(path.join(root, 'node_modules', '.bin', 'vitest'))) {
    missing.push({ what: "the project's npm packages (Node 24 among them): run `npm ci` first" });
  }
  const java = run('java', ['-version']);
  const javaVersion = java === undefined ? undefined : javaMajorVersion(java);
  if (javaVersion === undefined || javaVersion < 17) {
    missing.push({
      what: `Java 17 or later for DynamoDB Local (${javaVersion === undefined ? 'no `java` on the PATH' : `found Java ${javaVersion}`})`,
      debianPackage: 'openjdk-17-jdk-headless',
    });
  } else if (run('javac', ['-version']) === undefined) {
    missing.push({ what: 'a JDK (`javac`), which builds the launcher that keeps DynamoDB Local on loopback (found only a JRE)', debianPackage: 'openjdk-17-jdk-headless' });
  }
  if (!executable(chromiumPath)) {
    missing.push({ what: `Chromium at ${chromiumPath} for the browser tests (or set CHROMIUM_PATH to another Chromium)`, debianPackage: 'chromium' });
  }
  if (run('pdftotext', ['-v']) === undefined || run('pdftoppm', ['-v']) === undefined) {
    missing.push({ what: '`pdftotext` and `pdftoppm` (poppler-utils) for the tests that read and render the delivery document', debianPackage: 'poppler-utils' });
  }
  if (run('script', ['--version']) === undefined) {
    missing.push({ what: '`script` (util-linux) for the CLI tests, which give the CLI a terminal', debianPackage: 'bsdutils' });
  }
  return missing;
}

const missing = missingPrerequisites();
if (missing.length > 0) {
  const packages = [...new Set(missing.flatMap((item) => (item.debianPackage ? [item.debianPackage] : [])))];
  const lines = ['npm test cannot run on this machine yet. Missing:', ...missing.map((item) => `  - ${item.what}`)];
  if (packages.length > 0) lines.push('', 'On Debian or Ubuntu, install them with:', `  sudo apt-get install -y ${packages.join(' ')}`);
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}
