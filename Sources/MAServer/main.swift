// Everything lives in CLI/; this file only hands the process to the command tree.
await MAServerCommand.start()
