import NIOConcurrencyHelpers
import NIOCore

/// The state of one simulated phone shared by its boot task and its API
/// connections (on event loop threads), behind one lock held briefly.
public final class PhoneState: Sendable {
    /// The mutable part.
    public struct Snapshot: Sendable {
        public var settings = PhoneSettings()
        /// Line number → final status of its last REGISTER.
        public var registerCodes: [Int: Int] = [:]
        public var bootTime = NIODeadline.now()
        public var leasedIP: String?
        /// Whether the reboot-on-push fault has already fired.
        public var pushRebootDone = false
    }

    public let identity: PhoneIdentity
    public let faults: PhoneFaults
    public let shape: ReplyShape
    private let box: NIOLockedValueBox<Snapshot>

    public init(identity: PhoneIdentity, faults: PhoneFaults = PhoneFaults(), settings: PhoneSettings = PhoneSettings()) {
        self.identity = identity
        self.faults = faults
        self.shape = ReplyShape(phoneIndex: identity.index)
        var snapshot = Snapshot()
        snapshot.settings = settings
        self.box = NIOLockedValueBox(snapshot)
    }

    /// Reads or changes the state under the lock.
    @discardableResult
    public func withLock<T>(_ body: (inout Snapshot) throws -> T) rethrows -> T {
        try box.withLockedValue(body)
    }

    public var settings: PhoneSettings { withLock { $0.settings } }

    /// The web admin account (`web.account.1.*`), factory default admin/admin.
    public var webAccount: (user: String, password: String) {
        withLock { ($0.settings["web.account.1.Name"] ?? "admin", $0.settings["web.account.1.Password"] ?? "admin") }
    }

    /// Whether xmlService requests need the web account (`phone.EnablePushXMLAuth` = 1).
    public var requiresAuth: Bool { withLock { $0.settings["phone.EnablePushXMLAuth"] == "1" } }
}
