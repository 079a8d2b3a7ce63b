import { DatabaseSetupError } from "~/server/db/errors";

/** Runs a command-line entry point: operator errors print as one line, anything else with its stack. */
export function runCli(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (
        error instanceof DatabaseSetupError ||
        (error instanceof Error && error.message.startsWith("Invalid environment variables"))
      ) {
        console.error(`\n✖ ${error.message}\n`);
      } else {
        console.error(error);
      }
      process.exit(1);
    },
  );
}
