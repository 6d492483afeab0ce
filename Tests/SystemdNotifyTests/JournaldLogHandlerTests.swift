import Foundation
import Logging
import Synchronization
import SystemdNotify
import Testing

@Suite struct JournaldLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func linesCarryTheSyslogPriorityAndSortedMetadataWithoutATimestamp() {
        let out = Lines()
        var logger = Logger(label: "autoprov.dhcp") { label in
            JournaldLogHandler(label: label) { line in out.lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .debug
        logger.notice("listening", metadata: ["port": "67", "interface": "ap0"])
        logger.error("bad\nthing")
        logger.debug("detail")
        logger.info("plain")
        #expect(out.all == [
            "<5>autoprov.dhcp: listening interface=ap0 port=67\n",
            "<3>autoprov.dhcp: bad\\nthing\n",
            "<7>autoprov.dhcp: detail\n",
            "<6>autoprov.dhcp: plain\n",
        ])
    }

    @Test func theLevelsMapToSyslogPriorities() {
        #expect(Logger.Level.allCases.map(JournaldLogHandler.priority) == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test func stderrIsTheJournalOnlyWhenJournalStreamNamesIt() throws {
        var status = stat()
        #expect(fstat(2, &status) == 0)
        let mine = "\(status.st_dev):\(status.st_ino)"
        #expect(JournaldLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": mine]))
        #expect(!JournaldLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "1:2"]))
        #expect(!JournaldLogHandler.stderrIsJournal(environment: ["JOURNAL_STREAM": "junk"]))
        #expect(!JournaldLogHandler.stderrIsJournal(environment: [:]))
    }
}
