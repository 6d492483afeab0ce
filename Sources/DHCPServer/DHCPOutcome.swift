import DHCPv4
import Store

/// What the engine decided for one request.
public struct DHCPOutcome: Sendable {
    /// The reply and where to send it, if any.
    public var reply: (message: DHCPMessage, destination: ReplyDestination)?
    /// Lease rows to commit before the reply may be sent.
    public var leases: [Lease]
    public var events: [LeaseEvent]
    /// Why there is no reply, when there is none and nothing to commit.
    public var drop: (reason: DropReason, detail: String)?
    /// The request's message type, when it could be read.
    public var requestType: MessageType?
    /// How to undo the table changes behind `leases` if they are never committed.
    public var undo: [LeaseUndo] = []

    public var needsCommit: Bool { !leases.isEmpty || !events.isEmpty }

    static func dropped(_ reason: DropReason, _ detail: String, type: MessageType? = nil) -> DHCPOutcome {
        DHCPOutcome(reply: nil, leases: [], events: [], drop: (reason, detail), requestType: type)
    }
}
