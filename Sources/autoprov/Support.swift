import AutoprovConfig
import ArgumentParser
import Foundation
import Logging
import SystemdNotify

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
/// reload can change (`LiveLogLevel`). When stderr is the journal (a
/// systemd service), lines carry their syslog priority for journald and no
/// timestamp (`JournaldLogHandler`).
func bootstrapLogging(level: Logger.Level) {
    LiveLogLevel.set(level)
    let journal = JournaldLogHandler.stderrIsJournal(environment: ProcessInfo.processInfo.environment)
    LoggingSystem.bootstrap { label in
        LiveLevelLogHandler(inner: journal
            ? JournaldLogHandler(label: label) : StreamLogHandler.standardError(label: label))
    }
}
