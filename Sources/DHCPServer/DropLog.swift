import Logging
import Synchronization

/// Logs every dropped request with its reason, at most `perSecond` lines per
/// reason each second; the rest are summed into a "suppressed" line, so a
/// flood cannot turn the log into the bottleneck.
final class DropLog: Sendable {
    private struct Window { var second: Int64 = 0; var lines = 0; var suppressed = 0 }
    private let windows = Mutex<[DropReason: Window]>([:])
    private let perSecond: Int
    private let logger: Logger

    init(logger: Logger, perSecond: Int = 20) {
        self.logger = logger
        self.perSecond = perSecond
    }

    /// Logs the suppressed counts of windows that have closed, so the last
    /// second of a flood is summarised even when no drop follows it.
    func flush(now: Int64) {
        let closed: [(DropReason, Int)] = windows.withLock { windows in
            var closed: [(DropReason, Int)] = []
            for (reason, window) in windows where window.second < now && window.suppressed > 0 {
                closed.append((reason, window.suppressed))
                windows[reason] = Window(second: window.second, lines: window.lines, suppressed: 0)
            }
            return closed
        }
        for (reason, suppressed) in closed {
            logger.notice("dropped requests not logged individually", metadata: [
                "reason": "\(reason.rawValue)", "suppressed": "\(suppressed)",
            ])
        }
    }

    func log(_ reason: DropReason, _ detail: String, interface: String, now: Int64) {
        let (write, suppressed): (Bool, Int) = windows.withLock { windows in
            var window = windows[reason] ?? Window()
            var suppressed = 0
            if window.second != now {
                suppressed = window.suppressed
                window = Window(second: now)
            }
            let write = window.lines < perSecond
            if write { window.lines += 1 } else { window.suppressed += 1 }
            windows[reason] = window
            return (write, suppressed)
        }
        if suppressed > 0 {
            logger.notice("dropped requests not logged individually", metadata: [
                "reason": "\(reason.rawValue)", "suppressed": "\(suppressed)",
            ])
        }
        if write {
            logger.info("request dropped", metadata: [
                "reason": "\(reason.rawValue)", "detail": "\(detail)", "interface": "\(interface)",
            ])
        }
    }
}
