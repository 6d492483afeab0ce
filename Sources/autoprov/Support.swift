import AutoprovConfig
import ArgumentParser
import Foundation
import Logging

/// Loads the config or exits 2 with every problem printed.
func loadSettings(_ option: ConfigOption) throws -> AutoprovSettings {
    do {
        return try ConfigLoader.load(path: option.config)
    } catch {
        printError(error.description)
        throw ExitCode(2)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data(("autoprov: " + text + "\n").utf8))
}

/// Logs to stderr, one line per entry, key=value metadata.
func bootstrapLogging(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
