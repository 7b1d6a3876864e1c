import Foundation

// A load generator for maserver that signs every request as a real agent would; see BenchOptions.usage.
exit(await BenchCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
