import { Command, CommanderError, Option } from 'commander';
import { wholeNumber } from './arguments.ts';
import { blocklistCommand } from './commands/blocklist.ts';
import { campaignCommand } from './commands/campaign.ts';
import { configCommand } from './commands/config.ts';
import { connectorsCommand } from './commands/connectors.ts';
import { deliverCommand } from './commands/deliver.ts';
import { dlqCommand } from './commands/dlq.ts';
import { endorsementsCommand } from './commands/endorsements.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { loginCommands } from './commands/login.ts';
import { offsetCommand } from './commands/offset.ts';
import { outreachCommands } from './commands/outreach.ts';
import { privacyCommand } from './commands/privacy.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { subscribersCommand } from './commands/subscribers.ts';
import { translationCommand } from './commands/translation.ts';
import { webhooksCommand } from './commands/webhooks.ts';
import { CliError, exitCodes, renderError } from './errors.ts';

/** `tadamon`: the operator CLI. It talks only to the HTTP API of a local or deployed Tadamon. */
export function program(): Command {
  const root = new Command('tadamon')
    .description('Operate a Tadamon backend (local or on AWS) over its HTTP API.')
    .option('--url <url>', 'the API, e.g. http://localhost:3000 (or TADAMON_URL)')
    .option('--token <token>', 'operator bearer token (or TADAMON_TOKEN): locally the "Admin token" npm start prints; on AWS use `tadamon login` instead')
    .option('--json', 'print machine-readable JSON only (errors as JSON on stderr)')
    // Lists are read a page at a time up to the end; a smaller page is for tests of the cursor-following.
    .addOption(new Option('--page-size <n>', 'items per page when reading lists').argParser(wholeNumber(1, 100)).hideHelp())
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
URL and token come from --url/--token, else TADAMON_URL/TADAMON_TOKEN, else the config file
(~/.config/tadamon/config.json, or $TADAMON_CONFIG; see \`tadamon config\`), where \`tadamon login\`
keeps an operator's Cognito sign-in on AWS.

Exit codes: 0 done; 1 the API answered with an error or could not be reached; 2 usage (a bad argument,
no URL or token, an unreadable or invalid file).

Examples:
  tadamon campaign create infra/local/demo-campaigns/free-nasser-zefzafi.md --publish
  tadamon campaign show free-nasser-zefzafi --json
  tadamon offset set free-nasser-zefzafi 800 --reason "paper forms from the vigil"
  tadamon urgent-call free-nasser-zefzafi --subject "Act now" --message-file call.md --watch
  tadamon outreach send free-nasser-zefzafi call.md call.fr.md --test-to me@example.org
  tadamon export free-nasser-zefzafi -o signatures.csv
  tadamon import free-nasser-zefzafi vigil.csv --dry-run`,
    );
  root.addCommand(campaignCommand());
  root.addCommand(translationCommand());
  root.addCommand(offsetCommand());
  root.addCommand(reconcileCommand());
  root.addCommand(endorsementsCommand());
  for (const command of outreachCommands()) root.addCommand(command);
  root.addCommand(exportCommand());
  root.addCommand(importCommand());
  root.addCommand(deliverCommand());
  root.addCommand(subscribersCommand());
  root.addCommand(privacyCommand());
  root.addCommand(blocklistCommand());
  root.addCommand(dlqCommand());
  root.addCommand(webhooksCommand());
  root.addCommand(connectorsCommand());
  for (const command of loginCommands()) root.addCommand(command);
  root.addCommand(configCommand());
  applyEverywhere(root);
  return root;
}

/** Commands made with `new Command()` do not inherit settings; give every one the root's. */
function applyEverywhere(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride().showHelpAfterError('(add --help for usage)').configureHelp({ showGlobalOptions: true });
    applyEverywhere(sub);
  }
}

export async function run(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    await program().parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (or the help); help and --version are not errors.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (json) {
      const body = error instanceof CliError ? error.toJSON() : { message: error instanceof Error ? error.message : String(error) };
      process.stderr.write(`${JSON.stringify({ error: { kind: error instanceof Error ? error.name : 'Error', ...body } })}\n`);
    } else {
      process.stderr.write(`${renderError(error).join('\n')}\n`);
      if (!(error instanceof CliError) && process.env.TADAMON_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    }
    return error instanceof CliError ? error.exitCode : exitCodes.api;
  }
}

process.exitCode = await run(process.argv.slice(2));
