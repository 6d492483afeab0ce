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

/// Logs to stderr, one line per entry, key=value metadata, at a level a
/// reload can change (`LiveLogLevel`).
func bootstrapLogging(level: Logger.Level) {
    LiveLogLevel.set(level)
    LoggingSystem.bootstrap { label in
        LiveLevelLogHandler(inner: StreamLogHandler.standardError(label: label))
    }
}
